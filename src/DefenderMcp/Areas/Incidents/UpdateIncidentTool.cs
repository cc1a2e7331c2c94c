using System.Text.RegularExpressions;
using DefenderMcp.Areas.Alerts;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.Incidents;

/// <summary><c>update_incident</c>: status, assignee, classification, determination and tags of an incident.</summary>
public sealed partial class UpdateIncidentTool(ToolServices services) : WriteTool(Spec, services)
{
    /// <summary>Incident statuses that can be set.</summary>
    public static IReadOnlyList<string> Statuses { get; } = ["active", "inProgress", "resolved"];

    /// <summary>Classifications.</summary>
    public static IReadOnlyList<string> Classifications { get; } = ["unknown", "falsePositive", "truePositive", "informationalExpectedActivity"];

    /// <summary>Determinations (the first documented spelling).</summary>
    public static IReadOnlyList<string> Determinations { get; } = ["unknown", "apt", "malware", "securityPersonnel", "securityTesting", "unwantedSoftware", "other", "multiStagedAttack", "compromisedUser", "phishing", "maliciousUserActivity", "clean", "insufficientData", "confirmedUserActivity", "lineOfBusinessApplication"];

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "update_incident",
        Title = "Update an incident",
        Description = "Updates an incident's status, assignee, classification, determination or custom tags (tags replace the list). Confirmed by a person before it runs; use dry_run to preview.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = false,
        Idempotent = true,
        FanOut = false,
        ResultType = typeof(WriteResultOutput),
        InputSchema = Schema.Object(
            ["incident_id"],
            [("incident_id", Schema.String("The numeric incident id.", 20, "^[0-9]{1,20}$")),
             ("status", Schema.Enum("New status.", [.. Statuses])),
             ("assigned_to", Schema.String("Assignee (UPN), or empty to unassign.", 256)),
             ("classification", Schema.Enum("Classification.", [.. Classifications])),
             ("determination", Schema.Enum("Determination.", [.. Determinations])),
             ("custom_tags", Schema.StringArray("Custom tags (replace the current list).", 50, 100)),
             .. CommonParameters]),
    };

    [GeneratedRegex("^[0-9]{1,20}$")]
    private static partial Regex IdPattern();

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var a = call.Arguments;
        var id = a.RequiredString("incident_id", 20, IdPattern());
        var patch = TriagePatch.Build(a, Statuses, withTags: true);
        var incident = await client.GetIncidentAsync(id, cancellationToken).ConfigureAwait(false);
        return new WritePlan($"Update incident ({TriagePatch.Describe(patch)})", Text.Clip(incident.DisplayName, 200) ?? id, id, null, client.UpdateIncidentRequest(id, patch));
    }
}
