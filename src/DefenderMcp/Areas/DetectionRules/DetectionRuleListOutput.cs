using System.Text.Json.Nodes;

namespace DefenderMcp.Areas.DetectionRules;

/// <summary>Custom detection rules.</summary>
public sealed record DetectionRuleListOutput(string Tenant, int Count, IReadOnlyList<JsonObject> Rules);
