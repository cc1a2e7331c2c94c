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

    [Fact]
    public async Task The_indicator_examples_with_retired_actions_are_refused_naming_the_replacement()
    {
        // DD post-ti-indicator.md (action AlertAndBlock) and import-ti-indicators.md (action Alert), byte for byte.
        var token = await fixture.SecretTokenAsync("fabrikam", "https://api.securitycenter.microsoft.com/.default");

        var submitted = await fixture.SendAsync(HttpMethod.Post, "api/indicators", token, rawBody: Example("indicator-submit.json"));
        var imported = await fixture.SendAsync(HttpMethod.Post, "api/indicators/import", token, rawBody: Example("indicator-import.json"));

        Assert.Equal((400, "InvalidRequestBody"), (submitted.Status, submitted.ErrorCode));
        Assert.Contains("use Block with generateAlert true", submitted.Json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, imported.Status);
        Assert.All(imported.Json.GetProperty("value").EnumerateArray(), item =>
        {
            Assert.True(item.GetProperty("isFailed").GetBoolean());
            Assert.Contains("use Audit with generateAlert true", item.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_indicator_example_with_a_current_action_is_accepted_and_audit_needs_generate_alert()
    {
        var token = await fixture.SecretTokenAsync("fabrikam", "https://api.securitycenter.microsoft.com/.default");
        var example = JsonNode.Parse(Example("indicator-submit.json"))!.AsObject();
        example["action"] = "Block";
        example["generateAlert"] = true;
        example["expirationTime"] = "2099-12-12T00:00:00Z";
        var audit = (JsonObject)example.DeepClone();
        audit["action"] = "Audit";
        audit["indicatorValue"] = "320e7d15b011d7fac48f2bd61114db1022197f7f";
        audit.Remove("generateAlert");

        var blocked = await fixture.SendAsync(HttpMethod.Post, "api/indicators", token, rawBody: example.ToJsonString());
        var auditWithout = await fixture.SendAsync(HttpMethod.Post, "api/indicators", token, rawBody: audit.ToJsonString());
        audit["generateAlert"] = true;
        var auditWith = await fixture.SendAsync(HttpMethod.Post, "api/indicators", token, rawBody: audit.ToJsonString());

        Assert.Equal(200, blocked.Status);
        Assert.Equal(["group1", "group2"], blocked.Json.GetProperty("rbacGroupNames").EnumerateArray().Select(g => g.GetString()));
        Assert.True(blocked.Json.GetProperty("generateAlert").GetBoolean());
        Assert.Equal((400, "InvalidRequestBody"), (auditWithout.Status, auditWithout.ErrorCode));
        Assert.Contains("GenerateAlert parameter must be set to TRUE", auditWithout.Json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, auditWith.Status);
    }

    [Fact]
    public async Task An_indicator_id_is_never_reused_after_a_delete()
    {
        var token = await fixture.SecretTokenAsync("contoso", "https://api.securitycenter.microsoft.com/.default");
        async Task<string> AddAsync(string domain) =>
            (await fixture.SendAsync(HttpMethod.Post, "api/indicators", token, new { indicatorValue = domain, indicatorType = "DomainName", action = "Block", title = "t", description = "d" })).Json.GetProperty("id").GetString()!;

        var first = await AddAsync("reuse-one.example.com");
        var second = await AddAsync("reuse-two.example.com");
        Assert.Equal(204, (await fixture.SendAsync(HttpMethod.Delete, $"api/indicators/{first}", token)).Status);
        var third = await AddAsync("reuse-three.example.com");
        Assert.Equal(204, (await fixture.SendAsync(HttpMethod.Post, "api/indicators/BatchDelete", token, new { IndicatorIds = new[] { third } })).Status);
        var listed = await fixture.SendAsync(HttpMethod.Get, "api/indicators", token);

        Assert.Equal(3, new[] { first, second, third }.Distinct().Count());
        Assert.Contains(listed.Json.GetProperty("value").EnumerateArray(), i => i.GetProperty("id").GetString() == second);
        Assert.DoesNotContain(listed.Json.GetProperty("value").EnumerateArray(), i => i.GetProperty("id").GetString() == third);
    }

    [Fact]
    public async Task The_incident_update_example_is_accepted_in_its_pascal_case_and_stored_in_camel_case()
    {
        // GD api-reference/v1.0/api/security-incident-update.md, request example byte for byte.
        var token = await fixture.SecretTokenAsync("fabrikam");
        var incident = (await fixture.SendAsync(HttpMethod.Get, "v1.0/security/incidents?$top=1", token)).Json.GetProperty("value")[0].GetProperty("id").GetString();

        var updated = await fixture.SendAsync(HttpMethod.Patch, $"v1.0/security/incidents/{incident}", token, rawBody: Example("incident-update.json"));
        var inProgress = await fixture.SendAsync(HttpMethod.Patch, $"v1.0/security/incidents/{incident}", token, rawBody: "{\"status\":\"inProgress\"}");
        var redirected = await fixture.SendAsync(HttpMethod.Patch, $"v1.0/security/incidents/{incident}", token, rawBody: "{\"status\":\"Resolved\"}");

        Assert.Equal(200, updated.Status);
        Assert.Equal(("truePositive", "multiStagedAttack"), (updated.Json.GetProperty("classification").GetString(), updated.Json.GetProperty("determination").GetString()));
        Assert.Equal(["Demo"], updated.Json.GetProperty("customTags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(400, inProgress.Status);
        Assert.Equal("resolved", redirected.Json.GetProperty("status").GetString());
    }
}
