using System.Text.Json.Nodes;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary>
/// <c>get_hunt_results</c>: the recorded runs of a scheduled hunt, whether one is under way now and when the next is
/// due, so an analyst polling for results knows whether to wait.
/// </summary>
public sealed class GetHuntResultsTool(ToolServices services) : DefenderTool(Spec, services)
{
    private static readonly ToolParameter Since = ToolParameter.DateTime("since", "Only runs at or after this ISO-8601 time.");

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_hunt_results",
        Title = "Get scheduled hunt results",
        Description = "A scheduled hunt's runs, newest first, and its schedule. With a state folder, runs from before a restart are included.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        OpenWorld = false,
        FanOut = false,
        ResultType = typeof(HuntResultsOutput),
        Parameters = [SavedHuntArguments.Name, Since],
    };

    /// <inheritdoc />
    protected override async Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var hunt = SavedHuntArguments.Hunt(call, Services.Hunts, GrantFor(call));
        var since = call.Arguments.OptionalDateTime(Since);
        var recorded = await SavedHuntArguments.WithStateAsync(() => Services.Scheduler.ResultsAsync(hunt.Name, since, cancellationToken)).ConfigureAwait(false);
        // Runs and schedules on tenants outside the caller's grant are left out, as if they did not exist: their rows are
        // that tenant's data, and a schedule there is another caller's.
        var grant = GrantFor(call);
        var runs = grant.IsUnrestricted ? recorded : [.. recorded.Where(r => grant.Allows(r.Tenant))];
        var status = await SavedHuntArguments.WithStateAsync(() => Services.Scheduler.StatusAsync(hunt.Name, grant.Allows, cancellationToken)).ConfigureAwait(false);
        call.Count("items", runs.Count);
        return ToJson(new HuntResultsOutput(hunt.Name, runs.Count, status.RunInProgress, status.Schedule, runs));
    }
}
