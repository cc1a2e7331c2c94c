using System.Text.Json.Nodes;
using System.Xml;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary><c>list_saved_hunts</c>: the saved hunt library.</summary>
public sealed class ListSavedHuntsTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "list_saved_hunts",
        Title = "List saved hunts",
        Description = "Lists the saved hunts (named, reviewed KQL queries for common techniques), with their descriptions, MITRE techniques, default timespans and schedules. Use run_saved_hunt to run one.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        OpenWorld = false,
        FanOut = false,
        ResultType = typeof(SavedHuntListOutput),
    };

    /// <inheritdoc />
    protected override async Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        // A schedule on a tenant outside the caller's grant is not the caller's to see. A one-shot call runs
        // no schedule itself, so it reports the stored ones (those a server on the same state runs).
        var grant = GrantFor(call);
        var running = Services.Settings.SingleCall
            ? await SavedHuntArguments.WithStateAsync(() => Services.Scheduler.StoredSchedulesAsync(cancellationToken)).ConfigureAwait(false)
            : Services.Scheduler.Schedules;
        // Schedules are per (hunt, tenant): the caller sees the shortest interval among those on its own tenants.
        var schedules = running.Where(s => grant.Allows(s.Tenant)).GroupBy(s => s.Hunt, StringComparer.Ordinal).ToDictionary(g => g.Key, g => XmlConvert.ToString(g.Min(s => s.Every)), StringComparer.Ordinal);
        // So is a hunt whose file names a tenant outside the grant. Load problems name files (a file may be named for a
        // customer): a restricted caller learns only how many there are; the operator (stdio, or HTTP without a callers
        // file) reads them.
        var hunts = Services.Hunts.VisibleTo(grant);
        var problems = Services.Hunts.Problems;
        call.Count("items", hunts.Count);
        return ToJson(new SavedHuntListOutput(
            hunts.Count,
            [.. hunts.Select(h => new SavedHuntOutput(h.Name, h.Description, h.Timespan, h.Tenants, h.Techniques, h.Query, schedules.GetValueOrDefault(h.Name)))],
            grant.IsUnrestricted || problems.Count == 0 ? problems : [$"{problems.Count} saved hunt files could not be loaded; the operator can list them (list_saved_hunts over stdio)."]));
    }
}
