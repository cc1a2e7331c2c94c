using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Policy;

namespace DefenderMcp.Mcp;

/// <summary>
/// The fan-out result <c>{fan_out, tenants, results}</c>: each tenant's result, or its error described as any tool
/// error is. Labels are our tenant keys, never upstream text.
/// </summary>
public static class FanOutEnvelope
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = ToolJson.Options.Encoder, SkipValidation = true };

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

    /// <summary>Whether <paramref name="body"/> is a fan-out envelope.</summary>
    public static bool IsEnvelope(JsonObject body) =>
        body.TryGetPropertyValue("fan_out", out var flag) && flag is JsonValue value && value.TryGetValue<bool>(out var isFanOut) && isFanOut &&
        body["results"] is JsonArray;

    /// <summary>
    /// Keeps the tenants' results, in order, while together they take at most <paramref name="byteBudget"/> bytes of
    /// JSON; each result past it is replaced by a <c>result_too_large</c> error naming the way to get it. Errors stay:
    /// they are short. Returns the keys of the tenants left out, in order.
    /// </summary>
    public static IReadOnlyList<string> LeaveOutBeyond(JsonObject envelope, int byteBudget)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var results = (JsonArray)envelope["results"]!;
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        long used = 0;
        var leftOut = new List<string>();
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i] is not JsonObject entry || entry["result"] is not JsonNode result)
            {
                continue;
            }

            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                result.WriteTo(writer, ToolJson.Options);
            }

            if (used + buffer.WrittenCount <= byteBudget)
            {
                used += buffer.WrittenCount;
                continue;
            }

            var tenant = entry["tenant"]!.GetValue<string>();
            // A hunt's rows are already in the result cache: name them, so they are paged rather than run again.
            var kept = result is JsonObject { } shaped && shaped["result_id"] is JsonValue id && id.TryGetValue<string>(out var resultId)
                ? $" Its rows are kept: page them with get_hunting_results and result_id '{resultId}'."
                : string.Empty;
            results[i] = ErrorEntry(
                tenant,
                ErrorCodes.ResultTooLarge,
                $"Left out: with this tenant's result the fan-out would pass its {byteBudget}-byte budget.{kept} Ask for tenant '{tenant}' alone, or narrow the call (a lower limit or fewer tenants).",
                null);
            leftOut.Add(tenant);
        }

        return leftOut;
    }

    private static JsonObject Entry(TenantOutcome outcome)
    {
        if (outcome.Error is null)
        {
            return new JsonObject { ["tenant"] = outcome.Tenant.Key, ["result"] = outcome.Result };
        }

        var (code, message, retryAfter) = ToolErrors.Describe(outcome.Error);
        return ErrorEntry(outcome.Tenant.Key, code, message, retryAfter);
    }

    private static JsonObject ErrorEntry(string tenant, string code, string message, TimeSpan? retryAfter) =>
        new() { ["tenant"] = tenant, ["error"] = ToolResults.ErrorObject(code, message, retryAfter) };
}
