using System.Text.Json.Nodes;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary><c>list_library_files</c>: the scripts and files live response may run or put.</summary>
public sealed class ListLibraryFilesTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "list_library_files",
        Title = "List live-response library files",
        Description = "Lists the tenant's live-response library: the scripts run_live_response_script may run and the files live_response_put_file may put, with their SHA-256 and parameters.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(LibraryFileListOutput),
        Parameters = [SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken) =>
        RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var files = await client.ListLibraryFilesAsync(ct).ConfigureAwait(false);
                call.Count("items", files.Count);
                return ToJson(new LibraryFileListOutput(tenant.Key, files.Count, [.. files.Take(500).Select(LibraryFileOutput.From)]));
            },
            cancellationToken);
}
