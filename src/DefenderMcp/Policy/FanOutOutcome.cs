using System.Text.Json.Nodes;

namespace DefenderMcp.Policy;

/// <summary>A fan-out envelope and how many tenants failed.</summary>
public sealed record FanOutOutcome(JsonObject Envelope, int Failures);
