namespace DefenderMcp.Configuration;

/// <summary>
/// Whether this process can use a configured folder the way the server will (list it, create files in it), checked at
/// start: a folder owned by another user is then one problem naming the setting, not an exception at first use.
/// </summary>
public static class FolderAccess
{
    /// <summary>What the server does with a folder.</summary>
    [Flags]
    public enum Needs
    {
        /// <summary>Lists and reads the files in it.</summary>
        Read = 1,

        /// <summary>Creates files in it.</summary>
        Write = 2,
    }

    /// <summary>Null when <paramref name="folder"/> exists and allows <paramref name="needs"/>; otherwise a problem naming <paramref name="setting"/>.</summary>
    public static string? Check(string folder, string setting, Needs needs)
    {
        if (!Directory.Exists(folder))
        {
            // A folder behind one this user cannot enter is named so, as a file there is (SecureFile), not "not found".
            return SecureFile.NotFound(folder, setting, "folder");
        }

        if (needs.HasFlag(Needs.Read) && !CanList(folder))
        {
            return $"{setting}: this user ({Environment.UserName}) cannot read the folder; give the user the server runs as access to it";
        }

        return needs.HasFlag(Needs.Write) && !CanCreateIn(folder)
            ? $"{setting}: this user ({Environment.UserName}) cannot create files in the folder; choose a folder the user the server runs as owns"
            : null;
    }

    /// <summary>Whether the folder's entries can be listed.</summary>
    public static bool CanList(string folder)
    {
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(folder).GetEnumerator();
            entries.MoveNext();
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    /// <summary>Whether a file can be created in the folder: a probe file that removes itself on close.</summary>
    public static bool CanCreateIn(string folder)
    {
        try
        {
            using var probe = new FileStream(Path.Combine(folder, $".defender-mcp-{Guid.NewGuid():N}.probe"), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
