using System.Text.Json.Nodes;
using DefenderMcp.Areas.Incidents;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Alerts;

/// <summary>Builds the Graph PATCH body shared by incident and alert updates from validated arguments.</summary>
public static class TriagePatch
{
    /// <summary>The patch; throws <c>invalid_input</c> when no field was given.</summary>
    public static JsonObject Build(ToolArguments args, IReadOnlyList<string> statuses, bool withTags)
    {
        var patch = new JsonObject();
        if (args.OptionalEnum("status", statuses) is { } status)
        {
            patch["status"] = status;
        }

        if (args.OptionalString("assigned_to", 256) is { } assignee)
        {
            patch["assignedTo"] = assignee;
        }

        if (args.OptionalEnum("classification", UpdateIncidentTool.Classifications) is { } classification)
        {
            patch["classification"] = classification;
        }

        if (args.OptionalEnum("determination", UpdateIncidentTool.Determinations) is { } determination)
        {
            patch["determination"] = determination;
        }

        if (withTags && args.OptionalStringList("custom_tags", 50, 100) is { } tags)
        {
            patch["customTags"] = new JsonArray([.. tags.Select(t => (JsonNode)JsonValue.Create(t))]);
        }

        if (patch.Count == 0)
        {
            throw ToolException.InvalidInput($"Give at least one of status, assigned_to, classification, determination{(withTags ? ", custom_tags" : string.Empty)}.");
        }

        return patch;
    }

    /// <summary>A short description of the change for the confirmation message.</summary>
    public static string Describe(JsonObject patch) => string.Join(", ", patch.Select(p => $"{p.Key}={p.Value?.ToJsonString()}"));
}
