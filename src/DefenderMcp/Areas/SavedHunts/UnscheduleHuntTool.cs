using System.Text.Json.Nodes;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary>
/// <c>unschedule_hunt</c> (respond tier): stops a scheduled hunt on the named tenants, or on every tenant the caller may
/// act on; its schedules on other tenants (other callers') run on, and the answer is the same whether they exist or not.
/// </summary>
public sealed class UnscheduleHuntTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "unschedule_hunt",
        Title = "Stop a scheduled hunt",
        Description = "Stops the background schedule of a saved hunt on the given tenants (default: every tenant you may act on). Its past results stay readable with get_hunt_results.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = false,
        Idempotent = true,
        OpenWorld = false,
        AnswersPerTenant = false,
        ResultType = typeof(HuntScheduleOutput),
        Parameters = [SavedHuntArguments.Name, SharedParameters.Tenants.Described("Tenant key, * or a list of keys to stop it on; omit for every tenant you may act on.")],
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

        // Only the caller's own tenants at the respond tier: named ones are checked like any write, and without a name
        // the hunt is stopped on every tenant the caller may act on, never on another caller's.
        var grant = GrantFor(call);
        IReadOnlyList<string> tenants = call.Arguments.Has("tenant")
            ? SelectTenants(call).Keys
            : [.. Services.Settings.Tenants.Where(t => t.Policy.Actions >= ActionTier.Respond && grant.EffectiveTier(t) is { } tier && tier >= ActionTier.Respond).Select(t => t.Key)];
        var stopped = await SavedHuntArguments.WithStateAsync(() => Services.Scheduler.UnscheduleAsync(hunt.Name, tenants, cancellationToken)).ConfigureAwait(false);
        return ToJson(new HuntScheduleOutput(hunt.Name, false, null, stopped, stopped.Count > 0 ? $"'{hunt.Name}' is no longer scheduled on {string.Join(", ", stopped)}." : $"'{hunt.Name}' was not scheduled on {string.Join(", ", tenants)}."));
    }
}
