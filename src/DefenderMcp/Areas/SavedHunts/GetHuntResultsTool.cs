using System.Text.Json.Nodes;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary><c>get_hunt_results</c>: the recorded runs of a scheduled hunt.</summary>
public sealed class GetHuntResultsTool(ToolServices services) : DefenderTool(Spec, services)
{
    private static readonly ToolParameter Since = ToolParameter.DateTime("since", "Only runs at or after this ISO-8601 time.");

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_hunt_results",
        Title = "Get scheduled hunt results",
        Description = "Returns the recorded runs of a scheduled hunt (newest first; the newest 50 are kept by default): when, on which tenant, how many rows, the first rows, and a result_id to page the rest while it is cached. With a state folder, runs from before a restart are included.",
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
        // Runs on tenants outside the caller's grant are left out, as if they never ran: their rows are that tenant's data.
        var grant = GrantFor(call);
        var runs = grant.IsUnrestricted ? recorded : [.. recorded.Where(r => grant.Allows(r.Tenant))];
        call.Count("items", runs.Count);
        return ToJson(new HuntResultsOutput(hunt.Name, runs.Count, runs));
    }
}
