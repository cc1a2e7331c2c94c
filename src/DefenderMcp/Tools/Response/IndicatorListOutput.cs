using System.Text.Json.Nodes;

namespace DefenderMcp.Tools.Response;

/// <summary>Custom indicators.</summary>
public sealed record IndicatorListOutput(string Tenant, int Count, IReadOnlyList<JsonObject> Indicators);
