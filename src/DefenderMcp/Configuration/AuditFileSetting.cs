namespace DefenderMcp.Configuration;

/// <summary>
/// <c>DEFENDER_MCP_AUDIT_FILE</c> is checked at start for what the audit log will do with it (read its chain, append,
/// or create it), so a folder or a file this user cannot write stops the start naming the setting, rather than the
/// first audit line failing with an unhandled exception.
/// </summary>
public static class AuditFileSetting
{
    /// <summary>Null when the audit log can use <paramref name="path"/>; otherwise a problem naming the setting and the fix.</summary>
    public static string? Check(string path)
    {
        var setting = EnvironmentVariables.AuditFile;
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return $"{setting}: {full} is a folder; name a file in it, e.g. {Path.Combine(full, "audit.jsonl")}";
        }

        var directory = Path.GetDirectoryName(full);
        if (directory is null || !Directory.Exists(directory))
        {
            return $"{setting}: its directory does not exist";
        }

        try
        {
            if (File.Exists(full))
            {
                // The log reads the chain's last hash, then appends.
                using var existing = new FileStream(full, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            }
            else if (!FolderAccess.CanCreateIn(directory))
            {
                throw new UnauthorizedAccessException();
            }

            return null;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return File.Exists(full)
                ? $"{setting}: this user ({Environment.UserName}) cannot write {full}; chown it to the user the server runs as (mode 0600)"
                : $"{setting}: this user ({Environment.UserName}) cannot create files in {directory}; choose a folder it owns";
        }
    }
}
