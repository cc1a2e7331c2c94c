using System.Text;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary>
/// Saves a collected file into the configured download folder: a new 0600 file (never overwriting or removing one),
/// named after the device, the action and the file's own name, with -2, -3, ... when the same result is saved again.
/// The size cap is enforced while it downloads, and a refused or broken download leaves no file behind. Only a small
/// UTF-8 text file is also returned as text.
/// </summary>
public static class CollectedFiles
{
    // Saves of one command's file kept side by side before a further save fails.
    private const int MaxCopies = 100;

    /// <summary>Downloads command <paramref name="index"/> of <paramref name="actionId"/> into the folder.</summary>
    public static async Task<CollectedFileResult> SaveAsync(DefenderClient client, LiveResponseSettings settings, string actionId, int index, string devicePath, string deviceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        var folder = settings.DownloadFolder ?? throw NoFolder();
        var link = await client.GetLiveResponseResultLinkAsync(actionId, index, cancellationToken).ConfigureAwait(false);
        var (created, target) = CreateNew(folder, FileName(deviceName, actionId, index, devicePath));
        LiveResponseDownload download;
        byte[]? head = null;
        try
        {
            await using var file = created;
            download = await client.DownloadLiveResponseResultAsync(link, file, settings.MaxDownloadBytes, cancellationToken).ConfigureAwait(false);
            if (download.Bytes <= settings.InlineTextBytes)
            {
                file.Position = 0;
                head = new byte[download.Bytes];
                await file.ReadExactlyAsync(head, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            // Only the file this call created: one collected before under the same name is evidence and stays.
            File.Delete(target);
            throw;
        }

        var text = head is null ? null : AsText(head);
        return new CollectedFileResult(devicePath, target, download.Bytes, download.Sha256, text is not null, text);
    }

    /// <summary>
    /// A new file for the download: the plain name, or, when that file exists (the same command's result saved before,
    /// by get_live_response_result), the name with -2, -3, ... before its extension. An existing file is never opened.
    /// </summary>
    private static (FileStream File, string Path) CreateNew(string folder, string name)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stem = System.IO.Path.GetFileNameWithoutExtension(name);
        var extension = System.IO.Path.GetExtension(name);
        for (var copy = 1; ; copy++)
        {
            var path = System.IO.Path.Combine(folder, copy == 1 ? name : $"{stem}-{copy}{extension}");
            try
            {
                return (new FileStream(path, options), path);
            }
            catch (IOException) when (copy < MaxCopies && File.Exists(path))
            {
            }
        }
    }

    /// <summary>The refusal when no download folder is configured.</summary>
    public static ToolException NoFolder() => new(
        ErrorCodes.PolicyDenied,
        $"No download folder is configured, so files are not collected. An administrator can set {LiveResponseSettings.DownloadFolderVariable} to a private folder.");

    // UTF-8 without NUL bytes or other control characters (line breaks and tabs aside) is text; anything else is binary.
    private static string? AsText(byte[] bytes)
    {
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')) ? null : text.TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    // Only safe characters reach the file name: the device's short name, the action, the index and the file's own name.
    private static string FileName(string deviceName, string actionId, int index, string devicePath)
    {
        static string Safe(string value, int max)
        {
            var clean = new string([.. value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]).Trim('.');
            return clean.Length == 0 ? "file" : clean.Length > max ? clean[..max] : clean;
        }

        var name = devicePath[(devicePath.LastIndexOfAny(['\\', '/']) + 1)..];
        return $"{Safe(deviceName.Split('.')[0], 40)}_{Safe(actionId, 36)}_{index}_{Safe(name, 100)}";
    }
}
