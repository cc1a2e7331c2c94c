using System.Text.Json.Nodes;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary><c>unschedule_hunt</c> (respond tier): stops a scheduled hunt.</summary>
public sealed class UnscheduleHuntTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "unschedule_hunt",
        Title = "Stop a scheduled hunt",
        Description = "Stops the background schedule of a saved hunt. Its past results stay readable with get_hunt_results.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = false,
        Idempotent = true,
        OpenWorld = false,
        FanOut = false,
        ResultType = typeof(HuntScheduleOutput),
        Parameters = [SavedHuntArguments.Name],
    };

    /// <inheritdoc />
    protected override async Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var hunt = SavedHuntArguments.Hunt(call, Services.Hunts, GrantFor(call));
        // Schedules exist only for tenants at the respond tier; refuse like any write when none allows it.
        if (Services.Settings.Tenants.All(t => t.Policy.Actions < ActionTier.Respond))
        {
            throw new ToolException(ErrorCodes.PolicyDenied, "'unschedule_hunt' needs the respond tier.");
        }

        // Without durable state a schedule lives in the memory of the server that made it: a one-shot call, its own
        // process, would find none and wrongly report the hunt as not scheduled.
        if (Services.Settings.SingleCall && !Services.Scheduler.IsDurable)
        {
            throw ToolException.InvalidInput("defender-mcp call runs in its own process, and without a state folder (DEFENDER_MCP_STATE_DIR) schedules live only in the memory of the server that made them: nothing was unscheduled. Ask that server to unschedule the hunt.");
        }

        var mayStop = SavedHuntArguments.MayChangeSchedule(Services.Settings, GrantFor(call));
        var change = await SavedHuntArguments.WithStateAsync(() => Services.Scheduler.UnscheduleAsync(hunt.Name, mayStop, cancellationToken)).ConfigureAwait(false);
        if (!change.Allowed)
        {
            throw SavedHuntArguments.ForeignSchedule(call, hunt.Name);
        }

        var stopped = change.Previous is not null;
        return ToJson(new HuntScheduleOutput(hunt.Name, false, null, [], stopped ? $"'{hunt.Name}' is no longer scheduled." : $"'{hunt.Name}' was not scheduled."));
    }
}
