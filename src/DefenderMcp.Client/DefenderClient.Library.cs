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

    /// <summary>
    /// Adds a file to the library: a multipart/form-data POST with the file part (lower-case <c>file</c>, as the
    /// documented curl sample sends it), <c>Description</c>, <c>ParametersDescription</c>, <c>HasParameters</c> and
    /// <c>OverrideIfExists</c>. Reads the library entity Defender answers with. Refused before anything is built for
    /// an empty file, one over 20 MB, or a name that is not a plain library file name.
    /// </summary>
    public DefenderRequest<LibraryFile> UploadLibraryFile(LibraryUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var name = LiveResponseCommand.LibraryFileName(upload.FileName);
        if (upload.Content.Length is 0 or > (int)MaxLibraryFileBytes)
        {
            throw WriteValidation.Invalid($"A library file is 1 byte to {MaxLibraryFileBytes / (1024 * 1024)} MB; this one is {upload.Content.Length} bytes.");
        }

        var parameters = WriteValidation.OptionalText(upload.ParametersDescription, "parameters description", LibraryUpload.MaxDescriptionLength);
        var fields = new List<(string, string)>
        {
            ("Description", WriteValidation.OptionalText(upload.Description, "description", LibraryUpload.MaxDescriptionLength) ?? string.Empty),
            ("ParametersDescription", parameters ?? string.Empty),
            ("HasParameters", string.IsNullOrEmpty(parameters) ? "false" : "true"),
            ("OverrideIfExists", upload.OverrideIfExists ? "true" : "false"),
        };
        var form = new MultipartForm(fields, "file", name, upload.Content.Span);
        var request = new DefenderRequest(HttpMethod.Post, Mde("api/libraryfiles"), DefenderApi.Mde, OperationKind.Write, null, LibraryRole, RateFamily.Mde("libraryfiles")) { Form = form };
        return new(request, Body(LiveResponseReader.ReadLibraryFile));
    }

    /// <summary>Removes a file from the library (204; 404 when the library has no file of that name).</summary>
    public DefenderRequest<bool> DeleteLibraryFile(string fileName) =>
        Write(HttpMethod.Delete, Mde($"api/libraryfiles/{Id(LiveResponseCommand.LibraryFileName(fileName))}"), DefenderApi.Mde, null, LibraryRole, RateFamily.Mde("libraryfiles"), _ => true);
}
