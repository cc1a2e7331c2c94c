using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary>
/// <c>upload_library_file</c>: adds a file from the server's library upload folder to the tenant's live-response library
/// (what run_live_response_script runs and live_response_put_file puts). Only files inside the folder, read once,
/// at most 20 MB; their SHA-256 is shown in the confirmation, recorded in the audit line and returned, and a
/// confirmation token is bound to it, so changed bytes need a new confirmation.
/// </summary>
public sealed class UploadLibraryFileTool(ToolServices services) : LibraryWriteTool(Spec, services)
{
    private static readonly ToolParameter FilePath = ToolParameter.String("path", $"The file in the server's library upload folder ({LiveResponseSettings.UploadFolderVariable}): a name or relative path, or an absolute path inside that folder.", 1024).AsRequired();
    private static readonly ToolParameter Description = ToolParameter.String("description", "What the file is for.", LibraryUpload.MaxDescriptionLength);
    private static readonly ToolParameter ParametersDescription = ToolParameter.String("parameters_description", "For a script that takes arguments: what they are (marks it as taking parameters).", LibraryUpload.MaxDescriptionLength);
    private static readonly ToolParameter Override = ToolParameter.Boolean("override", "Replace a library file of the same name.");

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = Define(
        "upload_library_file",
        "Upload a file to the live-response library",
        "Adds a file from the server's library upload folder to the tenant's live-response library (at most 20 MB), so run_live_response_script can run it or live_response_put_file can put it. Paths outside the folder and symbolic links are refused. Returns the library entry and the SHA-256 of the bytes sent.",
        typeof(LibraryUploadResult),
        FilePath,
        Description,
        ParametersDescription,
        Override);

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(client);
        var path = call.Arguments.RequiredString(FilePath);
        // The library shows the server's app as the uploader: the description names the caller who asked.
        var description = call.Arguments.OptionalString(Description) is { } written
            ? CommentAttribution.Given(written, call.CommentCaller, LibraryUpload.MaxDescriptionLength, Description.Name)
            : call.CommentCaller is null ? null : CommentAttribution.Default("Uploaded", call.CommentCaller, LibraryUpload.MaxDescriptionLength);
        var parameters = call.Arguments.OptionalString(ParametersDescription);
        var replace = call.Arguments.Boolean(Override);
        var (name, content) = UploadFolder.Read(call, Services.Settings.LiveResponse, path);
        if (!replace)
        {
            // Defender refuses a second file of the same name (400 FileAlreadyExists) only after the confirmation and
            // the budget: refused here first, with the way to replace it.
            var library = await client.ListLibraryFilesAsync(cancellationToken).ConfigureAwait(false);
            if (library.FirstOrDefault(f => string.Equals(f.FileName, name, StringComparison.OrdinalIgnoreCase)) is { } existing)
            {
                throw ToolException.InvalidInput($"'{existing.FileName}' is already in the tenant's live-response library{(existing.Sha256 is { } sha ? $" (SHA-256 {Text.Clip(sha, 64)})" : string.Empty)}. Give override: true to replace it, or upload under another name. Nothing was sent.");
            }
        }

        var request = LiveResponseArguments.Build(() => client.UploadLibraryFile(new LibraryUpload(name, content, description, parameters, replace)));
        var form = request.Request.Form!;

        // The hash joins the audited parameters, which a confirmation token is issued over: other bytes, other token.
        call.Arguments.Validated["file_sha256"] = form.Sha256;
        call.Arguments.Validated["file_bytes"] = form.Length;
        var action = $"Upload {name} to the live-response library ({form.Length} bytes, SHA-256 {form.Sha256}){(replace ? ", replacing a library file of the same name" : string.Empty)}";
        return WritePlan.Of(action, name, "sha256:" + form.Sha256, description, request, (file, sent) => Shape(file, sent, form.Length, form.Sha256));
    }

    /// <inheritdoc />
    protected override Task<WriteResult> CompleteAsync(ToolCall call, TenantSettings tenant, DefenderClient client, WriteResult sent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(sent);
        // The audit line names the library entry; its hash is in the line's parameters.
        call.ActionId = sent.Target.Name;
        return Task.FromResult(sent);
    }

    private static LibraryUploadResult Shape(LibraryFile file, WriteResult sent, long bytes, string sha256) => LibraryUploadResult.From(sent) with
    {
        Status = "uploaded",
        LibraryFile = LibraryFileOutput.From(file),
        Bytes = bytes,
        Sha256 = sha256,
        Note = file.Sha256 is { } reported && !string.Equals(reported, sha256, StringComparison.OrdinalIgnoreCase)
            ? "Defender reports a different SHA-256 for the library entry than the bytes sent; check the file before running it."
            : null,
    };
}
