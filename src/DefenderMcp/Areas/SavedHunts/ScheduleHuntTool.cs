using System.Text.Json.Nodes;
using System.Xml;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary><c>schedule_hunt</c> (respond tier): runs a saved hunt in the background at an interval while the server lives.</summary>
public sealed class ScheduleHuntTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "schedule_hunt",
        Title = "Schedule a saved hunt",
        Description = "Runs a saved hunt in the background every interval (ISO-8601, e.g. PT15M, PT1H) on the given tenants while the server runs; read the runs with get_hunt_results. Scheduling again replaces the schedule. Uses API quota on every run.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(HuntScheduleOutput),
        InputSchema = Schema.Object(
            ["name", "every"],
            ("name", SavedHuntArguments.NameSchema),
            ("every", Schema.String("Interval as an ISO-8601 duration, e.g. PT15M or PT1H (at least the configured minimum, 5 minutes by default).", 32)),
            ("tenant", Schema.Tenant(allowFanOut: true))),
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var hunt = SavedHuntArguments.Hunt(call, Services.Hunts);
        var text = call.Arguments.RequiredString("every", 32);
        TimeSpan every;
        try
        {
            every = XmlConvert.ToTimeSpan(text.ToUpperInvariant());
        }
        catch (FormatException)
        {
            throw ToolException.InvalidInput("'every' must be an ISO-8601 duration such as PT15M or PT1H.");
        }

        if (every < Services.Settings.HuntScheduleMinimum || every > TimeSpan.FromDays(7))
        {
            throw ToolException.InvalidInput($"'every' must be from {XmlConvert.ToString(Services.Settings.HuntScheduleMinimum)} to P7D.");
        }

        var selection = SelectTenants(call, hunt.Tenants);
        var run = HuntingRun.Prepare(hunt.Query, HuntingTimespan.Parse(hunt.Timespan));
        Services.Scheduler.Schedule(hunt, every, selection.Tenants, run);
        call.Confirmation = "not_required";
        return Task.FromResult(ToJson(new HuntScheduleOutput(hunt.Name, true, XmlConvert.ToString(every), selection.Keys, $"'{hunt.Name}' runs every {XmlConvert.ToString(every)} on {string.Join(", ", selection.Keys)} until unscheduled or the server stops.")));
    }
}
