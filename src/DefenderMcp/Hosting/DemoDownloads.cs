using DefenderMcp.Configuration;

namespace DefenderMcp.Hosting;

/// <summary>
/// <c>--demo</c>'s live-response download folder when <c>DEFENDER_MCP_LIVE_RESPONSE_DIR</c> is not set: a per-user
/// folder only its owner can open (0700), so <c>live_response_get_file</c> works out of the box in the demo without
/// writing collected files anywhere others can read.
/// </summary>
public static class DemoDownloads
{
    /// <summary>
    /// The per-user folder: <c>$XDG_DATA_HOME</c> (or <c>~/.local/share</c>) on Linux and macOS, local application data on
    /// Windows, then <c>defender-mcp/demo-downloads</c>. Null when there is no home folder.
    /// </summary>
    public static string? UserFolder
    {
        get
        {
            string? root;
            if (OperatingSystem.IsWindows())
            {
                root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            }
            else
            {
                root = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
                if (string.IsNullOrEmpty(root) || !Path.IsPathFullyQualified(root))
                {
                    var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                    root = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".local", "share");
                }
            }

            return string.IsNullOrEmpty(root) ? null : Path.Combine(root, "defender-mcp", "demo-downloads");
        }
    }

    /// <summary>
    /// Creates <paramref name="folder"/> as 0700 when missing and returns it; null with a note when it cannot be made or
    /// already exists with access for others (it is then not used, and the get-file tool says no folder is configured).
    /// </summary>
    public static string? Prepare(string? folder, ICollection<string> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        if (folder is null)
        {
            notes.Add("demo_downloads=none (no home folder)");
            return null;
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
                return folder;
            }

            const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            var info = Directory.CreateDirectory(folder, OwnerOnly);
            if ((info.UnixFileMode & ~OwnerOnly) != 0 || info.LinkTarget is not null)
            {
                notes.Add($"demo_downloads=refused ({folder} is open to others or a link; set {LiveResponseSettings.DownloadFolderVariable})");
                return null;
            }

            return folder;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            notes.Add($"demo_downloads=none ({ex.GetType().Name})");
            return null;
        }
    }

    /// <summary><paramref name="settings"/> with the demo folder when no download folder was configured.</summary>
    public static ServerSettings WithDefaultFolder(ServerSettings settings, string? folder, ICollection<string> notes)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.LiveResponse.DownloadFolder is not null
            ? settings
            : settings with { LiveResponse = settings.LiveResponse with { DownloadFolder = Prepare(folder, notes) } };
    }
}
