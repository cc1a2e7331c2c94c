using System.Text.Json.Nodes;
using DefenderMcp.Mcp;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// A fan-out past its byte budget leaves out whole tenants, in order, each named with <c>result_too_large</c>; a
/// smaller result after a left-out one still goes in, and errors always stay.
/// </summary>
public sealed class FanOutEnvelopeBudgetTests
{
    private static JsonObject Envelope(params JsonObject[] entries) => new()
    {
        ["fan_out"] = true,
        ["tenants"] = new JsonArray([.. entries.Select(e => (JsonNode)JsonValue.Create(e["tenant"]!.GetValue<string>()))]),
        ["results"] = new JsonArray(entries),
    };

    // A result of exactly `bytes` bytes of JSON: {"p":"xxx…"} is 8 bytes plus the string.
    private static JsonObject Result(string tenant, int bytes) =>
        new() { ["tenant"] = tenant, ["result"] = new JsonObject { ["p"] = new string('x', bytes - 8) } };

    private static JsonObject Failed(string tenant) =>
        new() { ["tenant"] = tenant, ["error"] = new JsonObject { ["code"] = "auth_failure", ["message"] = "no token" } };

    [Fact]
    public void Results_past_the_budget_are_replaced_in_order_and_a_smaller_later_one_still_fits()
    {
        var envelope = Envelope(Result("a", 400), Failed("b"), Result("c", 500), Result("d", 100), Result("e", 200));

        var leftOut = FanOutEnvelope.LeaveOutBeyond(envelope, 600);

        Assert.Equal(["c", "e"], leftOut);
        var results = envelope["results"]!.AsArray();
        Assert.Equal(["a", "b", "c", "d", "e"], results.Select(r => r!["tenant"]!.GetValue<string>()));
        Assert.NotNull(results[0]!["result"]);
        Assert.Equal("auth_failure", results[1]!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("result_too_large", results[2]!["error"]!["code"]!.GetValue<string>());
        Assert.Contains("tenant 'c' alone", results[2]!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("600-byte budget", results[2]!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(results[2]!["result"]);
        Assert.NotNull(results[3]!["result"]);
        Assert.Equal("result_too_large", results[4]!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public void A_fan_out_within_the_budget_is_left_as_it_is()
    {
        var envelope = Envelope(Result("a", 300), Result("b", 300));
        var before = envelope.ToJsonString();

        Assert.Empty(FanOutEnvelope.LeaveOutBeyond(envelope, 600));
        Assert.Equal(before, envelope.ToJsonString());
    }

    [Fact]
    public void Only_a_fan_out_envelope_is_trimmed_by_the_tool_result()
    {
        var single = new JsonObject { ["tenant"] = "a", ["items"] = new JsonArray([.. Enumerable.Range(0, 100).Select(i => (JsonNode)JsonValue.Create(new string('x', 100)))]) };

        var result = ToolResults.Success(single, 1000, out var leftOut);

        Assert.Empty(leftOut);
        Assert.Equal(100, result.StructuredContent!.Value.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public void The_tool_result_carries_the_trimmed_envelope_in_both_its_text_and_structured_content()
    {
        var envelope = Envelope(Result("a", 400), Result("b", 400));

        var result = ToolResults.Success(envelope, 500, out var leftOut);

        Assert.Equal(["b"], leftOut);
        var structured = result.StructuredContent!.Value;
        Assert.Equal("result_too_large", structured.GetProperty("results")[1].GetProperty("error").GetProperty("code").GetString());
        var text = Assert.IsType<ModelContextProtocol.Protocol.TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(structured.GetRawText()), JsonNode.Parse(text)));
    }
}
