namespace DefenderMcp.Configuration;

/// <summary>Checks that a file holding secrets is not readable by group or others (POSIX).</summary>
public static class SecureFile
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Null when the file exists with mode 0600 or stricter; otherwise a problem text naming <paramref name="setting"/>.</summary>
    public static string? Check(string path, string setting)
    {
        if (!File.Exists(path))
        {
            return $"{setting}: file not found";
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
}
