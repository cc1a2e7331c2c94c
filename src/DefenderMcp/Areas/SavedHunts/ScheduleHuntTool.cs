using System.Text.Json.Nodes;
using System.Xml;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary>
/// <c>schedule_hunt</c> (respond tier): runs a saved hunt in the background, at once and then every interval; with a
/// state folder the schedule survives a restart. A one-shot <c>defender-mcp call</c> exits with its answer, so it only
/// stores the schedule for a server on the same state, and refuses without durable state rather than promise a run.
/// </summary>
public sealed class ScheduleHuntTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The longest interval a hunt may be scheduled at.</summary>
    public static readonly TimeSpan LongestInterval = TimeSpan.FromDays(7);

    private static readonly ToolParameter Every = ToolParameter.String("every", "Interval as an ISO-8601 duration, e.g. PT15M or PT1H (at least the configured minimum, 5 minutes by default).", 32).AsRequired();

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "schedule_hunt",
        Title = "Schedule a saved hunt",
        Description = "Runs a saved hunt in the background on the given tenants: at once, then every interval (ISO-8601, e.g. PT15M, PT1H), until unscheduled. With a state folder the schedule and its runs survive a restart; without one they last while the server runs. Read the runs with get_hunt_results. Scheduling again replaces the schedule on those tenants. Uses API quota on every run.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(HuntScheduleOutput),
        AnswersPerTenant = false,
        Parameters = [SavedHuntArguments.Name, Every, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override async Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        if (Services.Settings.SingleCall && !Services.Scheduler.IsDurable)
        {
            throw ToolException.InvalidInput("defender-mcp call runs one tool and exits, and without a state folder (DEFENDER_MCP_STATE_DIR) a schedule would not persist past it: nothing was scheduled. Set DEFENDER_MCP_STATE_DIR to the state folder of the server (defender-mcp serve) that is to run the hunt, or ask that server to schedule it.");
        }

        var hunt = SavedHuntArguments.Hunt(call, Services.Hunts, GrantFor(call));
        var text = call.Arguments.RequiredString(Every);
        TimeSpan every;
        try
        {
            every = XmlConvert.ToTimeSpan(text.ToUpperInvariant());
        }
        catch (FormatException)
        {
            throw ToolException.InvalidInput("'every' must be an ISO-8601 duration such as PT15M or PT1H.");
        }

        if (every < Services.Settings.HuntScheduleMinimum || every > LongestInterval)
        {
            throw ToolException.InvalidInput($"'every' must be from {XmlConvert.ToString(Services.Settings.HuntScheduleMinimum)} to P7D.");
        }

        var selection = SelectTenants(call, hunt.Tenants);
        var run = HuntingRun.Prepare(hunt.Query, HuntingTimespan.Parse(hunt.Timespan));
        // A schedule is per (hunt, tenant): scheduling again replaces this hunt's schedules on the selected tenants only
        // (all the caller's to act on, checked above); its schedules on other tenants, maybe other callers', run on.
        // A one-shot call ends with its answer: it stores the schedule for a server on the same state to run.
        await SavedHuntArguments.WithStateAsync(async () =>
        {
            await (Services.Settings.SingleCall
                ? Services.Scheduler.StoreAsync(hunt, every, selection.Tenants, run, cancellationToken)
                : Services.Scheduler.ScheduleAsync(hunt, every, selection.Tenants, run, cancellationToken)).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

        call.Confirmation = "not_required";
        if (Services.Settings.SingleCall)
        {
            var store = Services.Settings.Redis is null ? "state folder" : "shared state (Redis)";
            return ToJson(new HuntScheduleOutput(hunt.Name, true, XmlConvert.ToString(every), selection.Keys, $"'{hunt.Name}' is stored in the {store} to run every {XmlConvert.ToString(every)} on {string.Join(", ", selection.Keys)}, but this call did not run it and runs nothing after it exits. A server (defender-mcp serve) on that {store} runs it: within seconds if one is running, otherwise when one starts; then every interval until unscheduled. Read the runs with get_hunt_results."));
        }

        var lasts = !Services.Scheduler.IsDurable ? "until unscheduled or the server stops"
            : Services.Settings.Redis is null ? "until unscheduled, across restarts (kept in the state folder)"
            : "until unscheduled, across restarts (kept in the shared state, Redis)";
        return ToJson(new HuntScheduleOutput(hunt.Name, true, XmlConvert.ToString(every), selection.Keys, $"'{hunt.Name}' runs now, then every {XmlConvert.ToString(every)} on {string.Join(", ", selection.Keys)}, {lasts}."));
    }
}
