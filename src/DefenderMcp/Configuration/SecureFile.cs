namespace DefenderMcp.Configuration;

/// <summary>Checks that a file holding secrets can be read by this process and not by group or others (POSIX).</summary>
public static class SecureFile
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Null when the file exists, this process can open it, and its mode is 0600 or stricter; otherwise a problem text
    /// naming <paramref name="setting"/>. A file this user cannot open is a problem here rather than an exception later,
    /// the usual slip when a service runs as another user than the one who wrote the file.
    /// </summary>
    public static string? Check(string path, string setting)
    {
        if (!File.Exists(path))
        {
            return Missing(path, setting);
        }

        if (!IsReadable(path))
        {
            return $"{setting}: this user ({Environment.UserName}) cannot read the file; make the user the server runs as its owner (chown), mode 0600";
        }

        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & GroupOrOther) != 0
            ? $"{setting}: file is accessible by group or others (mode {Convert.ToString((int)mode, 8)}); run chmod 600 on it"
            : null;
    }

    /// <summary>Why a file that <see cref="File.Exists(string)"/> does not see is missing: truly, or in a folder closed to this user.</summary>
    public static string Missing(string path, string setting) => NotFound(path, setting, "file");

    /// <summary>
    /// Why a configured <paramref name="kind"/> ("file" or "folder") that this process does not see is missing: truly
    /// (<c>{kind} not found</c>), or behind a folder closed to this user, which is named with the fix. One text for
    /// files and folders alike.
    /// </summary>
    public static string NotFound(string path, string setting, string kind) =>
        InClosedFolder(path)
            ? $"{setting}: this user ({Environment.UserName}) cannot enter the folder {ClosedFolder(path)}; give the user the server runs as access to it (chown or chmod)"
            : $"{setting}: {kind} not found";

    /// <summary>
    /// Whether <paramref name="path"/> is out of sight because a folder on its way is closed to this user:
    /// <see cref="File.Exists(string)"/> is false then too, and "not found" would send the user looking for a file that is there.
    /// </summary>
    public static bool InClosedFolder(string path)
    {
        try
        {
            _ = File.GetAttributes(path);
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    // The folder on the way that this user sees but cannot enter: the nearest one whose own entry can be read (for
    // /srv/closed/a/b/state.json with /srv/closed closed, /srv/closed rather than /srv/closed/a/b).
    private static string? ClosedFolder(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        while (folder is not null && Path.GetDirectoryName(folder) is { } parent && InClosedFolder(folder))
        {
            folder = parent;
        }

        return folder;
    }

    /// <summary>Whether this process can open <paramref name="path"/> for reading (permissions, not content).</summary>
    public static bool IsReadable(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
