using System.Text.Json.Nodes;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Alerts;

/// <summary>
/// The triage parameters shared by <c>update_incident</c> and <c>update_alert</c>: read from the arguments into the
/// client's <see cref="IncidentUpdate"/> / <see cref="AlertUpdate"/> (the client builds the PATCH), and the changed
/// fields reported back from what Defender returns.
/// </summary>
public static class TriageArguments
{
    private static readonly ToolParameter AlertStatus = ToolParameter.Enum("status", "New status.", TriageValues.AlertStatuses);
    private static readonly ToolParameter IncidentStatus = ToolParameter.Enum("status", "New status.", TriageValues.IncidentStatuses);
    private static readonly ToolParameter AssignedTo = ToolParameter.String("assigned_to", "Assignee (UPN).", TriageValues.MaxAssigneeLength);
    private static readonly ToolParameter Classification = ToolParameter.Enum("classification", "Classification.", TriageValues.Classifications);
    private static readonly ToolParameter Determination = ToolParameter.Enum("determination", "Determination.", TriageValues.Determinations);
    private static readonly ToolParameter CustomTags = ToolParameter.StringList("custom_tags", "Custom tags (replace the current list).", TriageValues.MaxTags, TriageValues.MaxTagLength);

    /// <summary>The triage parameters of <c>update_alert</c>, declared once here beside <see cref="Alert"/> that reads them.</summary>
    public static IReadOnlyList<ToolParameter> ForAlert { get; } = [AlertStatus, AssignedTo, Classification, Determination];

    /// <summary>
    /// The triage parameters of <c>update_incident</c>: the alert's four (other statuses) plus custom tags. Graph
    /// documents unassigning as <c>assignedTo: null</c> (an empty string is unconfirmed), which no parameter sends, so
    /// an empty assignee is refused and none is offered.
    /// </summary>
    public static IReadOnlyList<ToolParameter> ForIncident { get; } = [IncidentStatus, AssignedTo, Classification, Determination, CustomTags];

    /// <summary>The incident update; throws <c>invalid_input</c> when no field was given.</summary>
    public static IncidentUpdate Incident(ToolArguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var update = new IncidentUpdate
        {
            Status = args.OptionalEnum(IncidentStatus),
            AssignedTo = args.OptionalString(AssignedTo),
            Classification = args.OptionalEnum(Classification),
            Determination = args.OptionalEnum(Determination),
            CustomTags = args.OptionalStringList(CustomTags),
        };
        return update is { Status: null, AssignedTo: null, Classification: null, Determination: null, CustomTags: null }
            ? throw ToolException.InvalidInput("Give at least one of status, assigned_to, classification, determination, custom_tags.")
            : update;
    }

    /// <summary>The alert update; throws <c>invalid_input</c> when no field was given.</summary>
    public static AlertUpdate Alert(ToolArguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var update = new AlertUpdate
        {
            Status = args.OptionalEnum(AlertStatus),
            AssignedTo = args.OptionalString(AssignedTo),
            Classification = args.OptionalEnum(Classification),
            Determination = args.OptionalEnum(Determination),
        };
        return update is { Status: null, AssignedTo: null, Classification: null, Determination: null }
            ? throw ToolException.InvalidInput("Give at least one of status, assigned_to, classification, determination.")
            : update;
    }

    /// <summary>Each field the update set, by parameter name, with the value the incident now has.</summary>
    public static IReadOnlyDictionary<string, JsonNode?> Changes(IncidentUpdate update, Incident now)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(now);
        var changes = Changes(update.Status, update.AssignedTo, update.Classification, update.Determination, now.Status, now.AssignedTo, now.Classification, now.Determination);
        if (update.CustomTags is not null)
        {
            changes["custom_tags"] = new JsonArray([.. now.CustomTags.Select(t => (JsonNode?)JsonValue.Create(Text.Clip(t, 200)))]);
        }

        return changes;
    }

    /// <summary>Each field the update set, by parameter name, with the value the alert now has.</summary>
    public static IReadOnlyDictionary<string, JsonNode?> Changes(AlertUpdate update, SecurityAlert now)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(now);
        return Changes(update.Status, update.AssignedTo, update.Classification, update.Determination, now.Status, now.AssignedTo, now.Classification, now.Determination);
    }

    /// <summary>A short description of the change for the confirmation message: the PATCH body's fields and values.</summary>
    public static string Describe(string? patchBody) =>
        JsonNode.Parse(patchBody ?? "{}") is JsonObject patch ? string.Join(", ", patch.Select(p => $"{p.Key}={p.Value?.ToJsonString()}")) : string.Empty;

    private static Dictionary<string, JsonNode?> Changes(string? status, string? assignedTo, string? classification, string? determination, string? nowStatus, string? nowAssignedTo, string? nowClassification, string? nowDetermination)
    {
        var changes = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        void Add(string name, string? set, string? now)
        {
            if (set is not null)
            {
                changes[name] = Text.Clip(now, 256);
            }
        }

        Add("status", status, nowStatus);
        Add("assigned_to", assignedTo, nowAssignedTo);
        Add("classification", classification, nowClassification);
        Add("determination", determination, nowDetermination);
        return changes;
    }
}
