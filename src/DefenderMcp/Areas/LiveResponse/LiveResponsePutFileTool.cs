using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary><c>live_response_put_file</c>: copies a library file to a device.</summary>
public sealed class LiveResponsePutFileTool(ToolServices services) : LiveResponseTool(Spec, services)
{
    private static readonly ToolParameter LibraryFileName = LiveResponseArguments.LibraryFile("file", "The library file's name.");

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = Define(
        "live_response_put_file",
        "Put a library file on a device",
        "Copies a file from the tenant's live-response library (list_library_files) into the device's live-response working folder (removed on restart). Only library files can be put.",
        destructive: false,
        LibraryFileName);

    /// <inheritdoc />
    protected override async Task<(LiveResponseCommand Command, string Label)> CommandAsync(ToolCall call, DefenderClient client, CancellationToken cancellationToken)
    {
        var file = await LiveResponseArguments.LibraryFileAsync(call, LibraryFileName, client, cancellationToken).ConfigureAwait(false);
        return (LiveResponseArguments.Build(() => LiveResponseCommand.PutFile(file)), $"put {file}");
    }
}
