using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client;

/// <summary>The live-response library (defender-api §3.8): the scripts and files live response may run or put.</summary>
public sealed partial class DefenderClient
{
    /// <summary>The app role of every library operation.</summary>
    public const string LibraryRole = AppRoles.Library;

    /// <summary>The documented upload cap.</summary>
    public const long MaxLibraryFileBytes = 20L * 1024 * 1024;

    /// <summary>Every file of the tenant's library.</summary>
    public async Task<IReadOnlyList<LibraryFile>> ListLibraryFilesAsync(CancellationToken cancellationToken)
    {
        var body = await GetObjectAsync(Mde("api/libraryfiles"), DefenderApi.Mde, LibraryRole, RateFamily.Mde("libraryfiles"), cancellationToken).ConfigureAwait(false);
        return body.ValueKind == System.Text.Json.JsonValueKind.Object && body.TryGetProperty("value", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(LiveResponseReader.ReadLibraryFile)]
            : throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The Defender service returned a list without 'value'.");
    }
}
