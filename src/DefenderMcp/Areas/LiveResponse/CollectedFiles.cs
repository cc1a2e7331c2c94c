using System.Text;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary>
/// Saves a collected file into the configured download folder: a new 0600 file (never overwriting one), named after
/// the device, the action and the file's own name; the size cap is enforced while it downloads, and a refused or
/// broken download leaves no file behind. Only a small UTF-8 text file is also returned as text.
/// </summary>
public static class CollectedFiles
{
    /// <summary>Downloads command <paramref name="index"/> of <paramref name="actionId"/> into the folder.</summary>
    public static async Task<CollectedFileResult> SaveAsync(DefenderClient client, LiveResponseSettings settings, string actionId, int index, string devicePath, string deviceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        var folder = settings.DownloadFolder ?? throw NoFolder();
        var link = await client.GetLiveResponseResultLinkAsync(actionId, index, cancellationToken).ConfigureAwait(false);
        var target = Path.Combine(folder, FileName(deviceName, actionId, index, devicePath));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        LiveResponseDownload download;
        byte[]? head = null;
        try
        {
            await using var file = new FileStream(target, options);
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
            File.Delete(target);
            throw;
        }

        var text = head is null ? null : AsText(head);
        return new CollectedFileResult(devicePath, target, download.Bytes, download.Sha256, text is not null, text);
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
