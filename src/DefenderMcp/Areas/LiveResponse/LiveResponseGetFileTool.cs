using DefenderMcp.Client;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary><c>live_response_get_file</c>: collects a file from a device into the server's download folder.</summary>
public sealed class LiveResponseGetFileTool(ToolServices services) : LiveResponseTool(Spec, services)
{
    private static readonly ToolParameter DevicePath = ToolParameter.String("path", "The file's absolute path on the device, e.g. C:\\Users\\Public\\notes.txt.", LiveResponseCommand.MaxPathLength).AsRequired();

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = Define(
        "live_response_get_file",
        "Get a file from a device",
        "Collects a file from a device and saves it in the server's download folder (a new 0600 file, up to the configured size cap), returning where, its size and SHA-256. Only a small text file's content is returned; a binary file's never is.",
        destructive: false,
        DevicePath);

    /// <inheritdoc />
    protected override Task<(LiveResponseCommand Command, string Label)> CommandAsync(ToolCall call, DefenderClient client, CancellationToken cancellationToken)
    {
        if (Services.Settings.LiveResponse.DownloadFolder is null)
        {
            call.PolicyDecision = "denied_no_folder";
            throw CollectedFiles.NoFolder();
        }

        var path = call.Arguments.RequiredString(DevicePath);
        return Task.FromResult((LiveResponseArguments.Build(() => LiveResponseCommand.GetFile(path)), $"get file {path}"));
    }

    /// <inheritdoc />
    protected override async Task<LiveResponseResult> FollowUpAsync(LiveResponseResult result, MachineAction action, DefenderClient client, CancellationToken cancellationToken)
    {
        var command = result.Commands.FirstOrDefault(c => c is { Type: "GetFile", Status: "Completed" });
        if (command is null)
        {
            return result;
        }

        try
        {
            var file = await CollectedFiles.SaveAsync(client, Services.Settings.LiveResponse, action.Id, command.Index, command.Target ?? string.Empty, action.ComputerDnsName ?? action.MachineId ?? "device", cancellationToken).ConfigureAwait(false);
            return result with { File = file };
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.InvalidInput)
        {
            return result with { Note = ex.Message };
        }
    }
}
