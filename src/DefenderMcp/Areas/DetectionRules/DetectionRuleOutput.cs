using System.Text.Json.Nodes;

namespace DefenderMcp.Areas.DetectionRules;

/// <summary>One custom detection rule.</summary>
public sealed record DetectionRuleOutput(string Tenant, JsonObject Rule);
