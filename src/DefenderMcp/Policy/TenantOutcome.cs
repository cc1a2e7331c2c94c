using System.Text.Json.Nodes;
using DefenderMcp.Configuration;

namespace DefenderMcp.Policy;

/// <summary>What one tenant of a fan-out returned: its result, or the failure the tool layer describes.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Result">Its result; null when it failed.</param>
/// <param name="Error">Why it failed; null when it returned.</param>
public sealed record TenantOutcome(TenantSettings Tenant, JsonObject? Result, Exception? Error);
