using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary>
/// Reads a file for the live-response library from the configured upload folder, and only from there: a path that
/// leaves the folder (<c>..</c>, an absolute path elsewhere) or passes through a symbolic link is refused, as is a
/// file that is empty or over the 20 MB cap, all before any request. The bytes are read once; those bytes are
/// hashed, confirmed and sent.
/// </summary>
public static class UploadFolder
{
    /// <summary>The file at <paramref name="path"/> (relative to the folder, or absolute inside it): its name and bytes.</summary>
    public static (string FileName, byte[] Content) Read(ToolCall call, LiveResponseSettings settings, string path)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(path);
        if (settings.UploadFolder is not { } folder)
        {
            throw Denied(call, "denied_no_folder", $"No library upload folder is configured, so nothing is uploaded. An administrator can set {LiveResponseSettings.UploadFolderVariable} to a folder that holds the files to upload.");
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(root, path));
        if (path.Split('/', '\\').Contains("..") || !full.StartsWith(root + Path.DirectorySeparatorChar, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            throw Denied(call, "denied_outside_folder", $"'{path}' is outside the library upload folder; only files inside {LiveResponseSettings.UploadFolderVariable} can be uploaded.");
        }

        RefuseLinks(call, root, full, path);
        var file = new FileInfo(full);
        if (!file.Exists)
        {
            throw ToolException.InvalidInput($"The upload folder has no file '{path}'.");
        }

        if (file.Length is 0 or > DefenderClient.MaxLibraryFileBytes)
        {
            throw ToolException.InvalidInput($"'{path}' is {file.Length} bytes; a library file is 1 byte to {DefenderClient.MaxLibraryFileBytes / (1024 * 1024)} MB.");
        }

        var content = ReadCapped(full, path);
        // Checked again once read: a link swapped in while the file was opened is refused too.
        RefuseLinks(call, root, full, path);
        return (file.Name, content);
    }

    // Every step below the folder must be a real directory or file, never a link (which could point anywhere).
    private static void RefuseLinks(ToolCall call, string root, string full, string path)
    {
        var current = root;
        foreach (var part in Path.GetRelativePath(root, full).Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, part);
            if (new FileInfo(current).LinkTarget is not null)
            {
                throw Denied(call, "denied_link", $"'{path}' passes through a symbolic link; only regular files inside the library upload folder can be uploaded.");
            }
        }
    }

    // The size was checked before opening; the read stops past the cap in case the file grew since.
    private static byte[] ReadCapped(string full, string path)
    {
        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > DefenderClient.MaxLibraryFileBytes)
            {
                throw ToolException.InvalidInput($"'{path}' grew past {DefenderClient.MaxLibraryFileBytes / (1024 * 1024)} MB while it was read.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ToolException Denied(ToolCall call, string decision, string message)
    {
        call.PolicyDecision = decision;
        return new ToolException(ErrorCodes.PolicyDenied, message);
    }
}
