using System.Text.Json.Nodes;
using DefenderMcp.Policy;

namespace DefenderMcp.Mcp;

/// <summary>
/// The fan-out result <c>{fan_out, tenants, results}</c>: each tenant's result, or its error described as any tool
/// error is. Labels are our tenant keys, never upstream text.
/// </summary>
public static class FanOutEnvelope
{
    /// <summary>The envelope of <paramref name="outcomes"/>, in their order.</summary>
    public static JsonObject From(IReadOnlyList<TenantOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return new JsonObject
        {
            ["fan_out"] = true,
            ["tenants"] = new JsonArray([.. outcomes.Select(o => (JsonNode)JsonValue.Create(o.Tenant.Key))]),
            ["results"] = new JsonArray([.. outcomes.Select(Entry)]),
        };
    }

    private static JsonObject Entry(TenantOutcome outcome)
    {
        if (outcome.Error is null)
        {
            return new JsonObject { ["tenant"] = outcome.Tenant.Key, ["result"] = outcome.Result };
        }

        var (code, message, retryAfter) = ToolErrors.Describe(outcome.Error);
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (retryAfter is { } wait)
        {
            error["retry_after"] = (int)Math.Ceiling(wait.TotalSeconds);
        }

        return new JsonObject { ["tenant"] = outcome.Tenant.Key, ["error"] = error };
    }
}
