using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary><c>delete_library_file</c>: removes a file from the tenant's live-response library.</summary>
public sealed class DeleteLibraryFileTool(ToolServices services) : LibraryWriteTool(Spec, services)
{
    private static readonly ToolParameter LibraryFileName = LiveResponseArguments.LibraryFile("file", "The library file's name (list_library_files).");

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = Define(
        "delete_library_file",
        "Delete a live-response library file",
        "Removes a file from the tenant's live-response library; scripts and puts that name it fail afterwards.",
        typeof(Mcp.Results.WriteResult),
        LibraryFileName);

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var name = await LiveResponseArguments.LibraryFileAsync(call, LibraryFileName, client, cancellationToken).ConfigureAwait(false);
        var request = LiveResponseArguments.Build(() => client.DeleteLibraryFile(name));
        return WritePlan.Of($"Delete {name} from the live-response library", name, name, null, request, (_, sent) => sent with { Status = "deleted", DeletedIds = [name] });
    }
}
