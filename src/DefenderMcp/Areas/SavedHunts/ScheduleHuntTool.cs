using System.Text.Json.Nodes;
using System.Xml;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary>
/// <c>schedule_hunt</c> (respond tier): runs a saved hunt in the background, at once and then every interval; with a
/// state folder the schedule survives a restart.
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
        Description = "Runs a saved hunt in the background on the given tenants: at once, then every interval (ISO-8601, e.g. PT15M, PT1H), until unscheduled. With a state folder the schedule and its runs survive a restart; without one they last while the server runs. Read the runs with get_hunt_results. Scheduling again replaces the schedule. Uses API quota on every run.",
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
        // Scheduling again replaces the schedule: not one that runs where this caller may not act (checked on the
        // stored schedule as it is replaced, so one made a moment ago on another replica counts too).
        var mayReplace = SavedHuntArguments.MayChangeSchedule(Services.Settings, GrantFor(call));
        var change = await SavedHuntArguments.WithStateAsync(() => Services.Scheduler.ScheduleAsync(hunt, every, selection.Tenants, run, mayReplace, cancellationToken)).ConfigureAwait(false);
        if (!change.Allowed)
        {
            throw SavedHuntArguments.ForeignSchedule(call, hunt.Name);
        }

        call.Confirmation = "not_required";
        var lasts = Services.Scheduler.IsDurable ? "until unscheduled, across restarts (kept in the state folder)" : "until unscheduled or the server stops";
        return ToJson(new HuntScheduleOutput(hunt.Name, true, XmlConvert.ToString(every), selection.Keys, $"'{hunt.Name}' runs now, then every {XmlConvert.ToString(every)} on {string.Join(", ", selection.Keys)}, {lasts}."));
    }
}
