using System.Text.Json;
using System.Text.Json.Nodes;

namespace DefenderMcp.Emulator.Tests;

// The documentation's own example requests, sent byte for byte (tests/DocExamples, copied from the pages named in each
// test), must get the documented answer from the emulator; the members removed on 2026-10-01 get Graph's error shape.
public sealed class DocExampleReplayTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static string Example(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DocExamples", name));

    [Fact]
    public async Task The_2026_detection_rule_create_example_is_accepted_byte_for_byte_and_echoed()
    {
        // GD api-reference/beta/api/security-rulesroot-post-detectionrules.md (ms.date 05/25/2026), request example.
        var token = await fixture.SecretTokenAsync("fabrikam");
        var example = Example("detection-rule-create.json");

        var created = await fixture.SendAsync(HttpMethod.Post, "beta/security/rules/detectionRules", token, rawBody: example);

        Assert.Equal(201, created.Status);
        Assert.Equal("https://graph.microsoft.com/beta/security/rules/detectionRules/office-encoded-powershell", created.Location!.ToString());
        var sent = JsonNode.Parse(example)!.AsObject();
        var stored = JsonNode.Parse(created.Text)!.AsObject();
        foreach (var (name, value) in sent)
        {
            Assert.True(Echoes(value, stored[name]), $"{name} was not echoed as sent");
        }

        Assert.True(stored.ContainsKey("createdDateTime") && stored.ContainsKey("lastModifiedDateTime") && stored.ContainsKey("createdBy"));
        var listed = await fixture.SendAsync(HttpMethod.Get, "beta/security/rules/detectionRules", token);
        Assert.Contains(listed.Json.GetProperty("value").EnumerateArray(), r => r.GetProperty("id").GetString() == "office-encoded-powershell");
    }

    // Everything sent comes back unchanged; the service may add read-only members (queryCondition.lastModifiedDateTime).
    private static bool Echoes(JsonNode? sent, JsonNode? stored) => sent is JsonObject o
        ? stored is JsonObject s && o.All(p => Echoes(p.Value, s[p.Key]))
        : JsonNode.DeepEquals(sent, stored);

    [Theory]
    [InlineData("isEnabled", "microsoft.graph.security.detectionRule")]
    [InlineData("period", "microsoft.graph.security.ruleSchedule")]
    [InlineData("responseActions", "microsoft.graph.security.detectionAction")]
    public async Task A_member_removed_on_2026_10_01_is_refused_with_graphs_error_shape(string member, string type)
    {
        var token = await fixture.SecretTokenAsync("fabrikam");
        var rule = JsonNode.Parse(Example("detection-rule-create.json"))!.AsObject();
        rule["id"] = "removed-" + member.ToLowerInvariant();
        switch (member)
        {
            case "isEnabled": rule["isEnabled"] = true; break;
            case "period": rule["schedule"]!["period"] = "1H"; break;
            default: rule["detectionAction"]!["responseActions"] = new JsonArray(); break;
        }

        var refused = await fixture.SendAsync(HttpMethod.Post, "beta/security/rules/detectionRules", token, rawBody: rule.ToJsonString());
        var patched = await fixture.SendAsync(HttpMethod.Patch, "beta/security/rules/detectionRules/office-encoded-powershell", token, rawBody: member == "isEnabled" ? "{\"isEnabled\":false}" : member == "period" ? "{\"schedule\":{\"period\":\"24H\"}}" : "{\"detectionAction\":{\"responseActions\":[]}}");

        foreach (var reply in new[] { refused, patched })
        {
            Assert.Equal((400, "BadRequest"), (reply.Status, reply.ErrorCode));
            Assert.Equal($"The property '{member}' does not exist on type '{type}'. Make sure to only use property names that are defined by the type or mark the type as open type.", reply.Json.GetProperty("error").GetProperty("message").GetString());
            Assert.True(reply.Json.GetProperty("error").GetProperty("innerError").TryGetProperty("request-id", out _));
        }
    }

    [Fact]
    public async Task The_classic_create_example_is_refused_now_that_its_members_are_removed()
    {
        // GD api-reference/beta/api/security-detectionrule-post-detectionrules.md (classic): isEnabled and schedule.period.
        var token = await fixture.SecretTokenAsync("fabrikam");
        var classic = """{ "displayName": "Some rule name", "isEnabled": true, "queryCondition": { "queryText": "DeviceProcessEvents | take 1" }, "schedule": { "period": "12H" } }""";

        var refused = await fixture.SendAsync(HttpMethod.Post, "beta/security/rules/detectionRules", token, rawBody: classic);

        Assert.Equal((400, "BadRequest"), (refused.Status, refused.ErrorCode));
        Assert.Contains("'isEnabled'", refused.Json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
