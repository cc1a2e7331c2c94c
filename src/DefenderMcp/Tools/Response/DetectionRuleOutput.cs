using System.Text.Json.Nodes;

namespace DefenderMcp.Tools.Response;

/// <summary>One custom detection rule.</summary>
public sealed record DetectionRuleOutput(string Tenant, JsonObject Rule);
