using System.Security.Cryptography;
using System.Text.Json.Nodes;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client;

/// <summary>
/// Live response (defender-api §3.7): run commands on a machine, then fetch each command's result through a
/// short-lived download link (30 minutes; re-issued by another call). The link is a storage URL: it is fetched
/// without our bearer token, only over HTTPS, only from a storage host or the configured MDE host, and never past a
/// size cap.
/// </summary>
public sealed partial class DefenderClient
{
    /// <summary>The app role that runs live response.</summary>
    public const string LiveResponseRole = AppRoles.LiveResponse;

    /// <summary>Most commands sent in one live-response action.</summary>
    public const int MaxLiveResponseCommands = 10;

    // Result links point at Azure storage in every cloud (core.windows.net, core.usgovcloudapi.net).
    private static readonly string[] StorageHostSuffixes = [".core.windows.net", ".core.usgovcloudapi.net"];

    /// <summary>
    /// Runs <paramref name="commands"/> on a machine (in order; a failed command leaves the rest not run). Reads the
    /// Pending action; 400 <c>ActiveRequestAlreadyExists</c> while another live response runs on the machine.
    /// </summary>
    public DefenderRequest<MachineAction> RunLiveResponse(string machineId, IReadOnlyList<LiveResponseCommand> commands, string comment)
    {
        if (commands is not { Count: > 0 and <= MaxLiveResponseCommands })
        {
            throw WriteValidation.Invalid($"Give 1 to {MaxLiveResponseCommands} live-response commands.");
        }

        // Top-level keys are PascalCase and case-sensitive; command keys are lower-case.
        var body = new JsonObject
        {
            ["Commands"] = new JsonArray([.. commands.Select(c => (JsonNode)c.ToJson())]),
            ["Comment"] = WriteValidation.Text(comment, "comment", MachineActionKind.MaxCommentLength),
        };
        return Write(HttpMethod.Post, Mde($"api/machines/{Id(machineId)}/runliveresponse"), DefenderApi.Mde, body, LiveResponseRole, RateFamily.LiveResponse, Body(ModelReader.ReadMachineAction));
    }

    /// <summary>The download link of command <paramref name="commandIndex"/>'s result (valid 30 minutes).</summary>
    public async Task<Uri> GetLiveResponseResultLinkAsync(string actionId, int commandIndex, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(commandIndex);
        var url = Mde($"api/machineactions/{Id(actionId)}/GetLiveResponseResultDownloadLink(index={Invariant(commandIndex)})");
        var body = await GetObjectAsync(url, DefenderApi.Mde, MachineRead, RateFamily.Mde("machineactions/GetLiveResponseResultDownloadLink"), cancellationToken).ConfigureAwait(false);
        var link = ModelReader.Str(body, "value") ?? throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The result link was missing.");
        return ResultLink(link);
    }

    /// <summary>
    /// Downloads a result link into <paramref name="destination"/>, hashing as it goes. Refused before the body is
    /// read when the announced size is over <paramref name="maxBytes"/>, and stopped as soon as more arrives.
    /// </summary>
    public Task<LiveResponseDownload> DownloadLiveResponseResultAsync(Uri link, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(destination);
        var checkedLink = ResultLink(link.AbsoluteUri);
        return BoundedAsync(ct => DownloadAsync(checkedLink, destination, maxBytes, ct), cancellationToken);
    }

    /// <summary>The transcript of a RunScript command (downloaded through its result link, at most <paramref name="maxBytes"/>).</summary>
    public async Task<LiveResponseScriptResult> GetLiveResponseScriptResultAsync(string actionId, int commandIndex, long maxBytes, CancellationToken cancellationToken)
    {
        var link = await GetLiveResponseResultLinkAsync(actionId, commandIndex, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await DownloadLiveResponseResultAsync(link, buffer, maxBytes, cancellationToken).ConfigureAwait(false);
        return LiveResponseReader.ReadScriptResult(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private async Task<LiveResponseDownload> DownloadAsync(Uri link, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        // No Authorization header: the link carries its own short-lived signature.
        using var request = new HttpRequestMessage(HttpMethod.Get, link);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The result link could not be reached.", inner: ex);
        }

        using (response)
        {
            if (response.StatusCode is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound)
            {
                throw new DefenderApiException(DefenderErrorCode.NotFound, "The result link has expired or is not valid; ask for a new one.");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new DefenderApiException(DefenderErrorCode.UpstreamError, $"The result download failed with HTTP {(int)response.StatusCode}.");
            }

            if (response.Content.Headers.ContentLength is { } announced && announced > maxBytes)
            {
                throw WriteValidation.Invalid($"The result is {announced} bytes, over the {maxBytes}-byte cap; it was not downloaded.");
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var chunk = new byte[81920];
                int read;
                while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        throw WriteValidation.Invalid($"The result is larger than the {maxBytes}-byte cap; the download was stopped.");
                    }

                    hash.AppendData(chunk, 0, read);
                    await destination.WriteAsync(chunk.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                throw BodyFailed(ex);
            }

            return new LiveResponseDownload(total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
    }

    // A result link is fetched without our token, so it must be HTTPS and point at storage or our own MDE host.
    private Uri ResultLink(string link)
    {
        var mde = Options.Endpoints.MdeRoot;
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(uri.UserInfo) ||
            !(StorageHostSuffixes.Any(s => uri.Host.EndsWith(s, StringComparison.OrdinalIgnoreCase) || string.Equals(uri.Host, s[1..], StringComparison.OrdinalIgnoreCase)) ||
              (string.Equals(uri.Host, mde.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == mde.Port)))
        {
            throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The result link does not point at Azure storage or the configured Defender host; it was not followed.");
        }

        return uri;
    }
}
