using System.Text.Json.Nodes;
using DefenderMcp.Areas.MachineActions;
using DefenderMcp.Client;
using DefenderMcp.Client.Parsing;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary>
/// <c>get_live_response_result</c>: one command's result, fetched again through a new download link (links last 30
/// minutes; re-issuing one needs no new run). A script's output pages by character offset (and is cached again under a
/// new result_id); a collected file is saved again into the download folder.
/// </summary>
public sealed class GetLiveResponseResultTool(ToolServices services) : DefenderTool(Spec, services)
{
    private const int MaxPage = 20_000;

    private static readonly ToolParameter CommandIndex = ToolParameter.Integer("command_index", "The command's 0-based index.", 0, DefenderClient.MaxLiveResponseCommands - 1, null).AsRequired();
    private static readonly ToolParameter Offset = ToolParameter.Integer("offset", "Output characters to skip.", 0, int.MaxValue, 0);
    private static readonly ToolParameter Limit = ToolParameter.Integer("limit", $"Output characters to return (at most {MaxPage}).", 1, MaxPage, 4000);

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_live_response_result",
        Title = "Get a live-response command's result",
        Description = "Gets the result of one command of a finished live-response action: a page of a script's output (offset and limit in characters), or, for GetFile, the file saved again into the download folder with its size and SHA-256.",
        Tier = ActionTier.LiveResponse,
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        FanOut = false,
        ResultType = typeof(LiveResponseResultOutput),
        Parameters = [MachineActionParameters.ActionId.Described("The live-response action id (a GUID)."), CommandIndex, Offset, Limit, SharedParameters.OneTenant],
    };

    /// <inheritdoc />
    protected override async Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var id = call.Arguments.RequiredString(MachineActionParameters.ActionId);
        var index = call.Arguments.RequiredInteger(CommandIndex);
        var offset = call.Arguments.Integer(Offset);
        var limit = call.Arguments.Integer(Limit);
        var tenant = SelectTenants(call).Tenants[0];
        var client = Services.Tenants.GetClient(tenant);
        MachineAction action;
        try
        {
            action = await client.GetMachineActionAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.NotFound)
        {
            throw new ToolException(ErrorCodes.NotFound, $"No machine action with action_id '{id}' in tenant '{tenant.Key}'. Use the action_id run_live_response_script or live_response_get_file returned, or list_machine_actions with type LiveResponse.");
        }

        var state = LiveResponseReader.ReadCommands(action).FirstOrDefault(c => c.Index == index)
            ?? throw new ToolException(ErrorCodes.NotFound, action.Type == MachineActionKind.LiveResponseType ? $"The action has no command {index}." : "That action is not a live response.");
        var command = new LiveResponseCommandResult(state.Index, state.Type, Text.Clip(state.Target, 1024), state.Status, [.. state.Errors.Select(e => Text.Clip(e, 500)!)], null, null, null, null, false);
        if (state.Status != "Completed")
        {
            // Still to come while the action runs (not_ready, as for an investigation package); none once it has ended.
            var running = action.Status is "Pending" or "InProgress";
            throw new ToolException(
                running ? ErrorCodes.NotReady : ErrorCodes.NotFound,
                running
                    ? $"Command {index} is {Text.Clip(state.Status, 32) ?? "unknown"} and the action is {action.Status}, so it has no result yet. Follow it with get_machine_action (wait_seconds), then ask again."
                    : $"Command {index} is {Text.Clip(state.Status, 32) ?? "unknown"}, so it has no result{(state.Status == "Created" ? " (it was not run: an earlier command failed or the action ended first)" : string.Empty)}.");
        }

        switch (state.Type)
        {
            case "RunScript":
                var transcript = await client.GetLiveResponseScriptResultAsync(id, index, LiveResponseFollower.MaxTranscriptBytes, cancellationToken).ConfigureAwait(false);
                if (offset > 0 && offset >= transcript.Output.Length)
                {
                    // As get_hunting_results: an empty page past the end would look like output that was lost.
                    throw ToolException.InvalidInput($"'offset' {offset} is at or past the end of the output ({transcript.Output.Length} characters); pages start at 0 and next_offset gives the next one.");
                }

                var page = LiveResponseFollower.WithTranscript(command, transcript, offset, limit) with
                {
                    ResultId = await ScriptOutputCache.StoreAsync(Services.ResultCache, tenant.Key, id, index, state.Target, transcript, cancellationToken).ConfigureAwait(false),
                };
                var end = Math.Min(offset, transcript.Output.Length) + (page.Output?.Length ?? 0);
                return ToJson(new LiveResponseResultOutput(tenant.Key, id, page, offset, end < transcript.Output.Length ? end : null, null));
            case "GetFile":
                if (offset > 0)
                {
                    // offset pages a script's output; a collected file is saved whole, so a page of it would be a false answer.
                    throw ToolException.InvalidInput($"'offset' pages a script's output; command {index} is a GetFile, which is saved whole. Leave offset out.");
                }

                var file = await CollectedFiles.SaveAsync(client, Services.Settings.LiveResponse, id, index, state.Target ?? string.Empty, action.ComputerDnsName ?? action.MachineId ?? "device", cancellationToken).ConfigureAwait(false);
                return ToJson(new LiveResponseResultOutput(tenant.Key, id, command, 0, null, file));
            default:
                throw new ToolException(ErrorCodes.NotFound, "A PutFile command has no result.");
        }
    }
}
