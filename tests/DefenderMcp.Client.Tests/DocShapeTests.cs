using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Client.Tests.Fakes;

namespace DefenderMcp.Client.Tests;

// The client's requests against the documentation's example requests (tests/DocExamples): every member the client
// sends appears in the example under the same name, casing and JSON kind, and the members the docs require are sent.
public sealed class DocShapeTests
{
    private static readonly FakeClient Fake = new(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, "{}")));

    private static JsonObject Example(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DocExamples", name)))!.AsObject();

    // Each leaf as "path:kind", arrays as [] (one shape for all their items).
    private static HashSet<string> Shape(JsonNode? node, string path = "")
    {
        var shape = new HashSet<string>(StringComparer.Ordinal);
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    shape.UnionWith(Shape(value, path + "/" + name));
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    shape.UnionWith(Shape(item, path + "[]"));
                }

                break;
            default:
                var kind = node?.GetValueKind() switch { JsonValueKind.True or JsonValueKind.False => "bool", JsonValueKind.Number => "number", JsonValueKind.Null or null => "null", _ => "string" };
                shape.Add(path + ":" + kind);
                break;
        }

        return shape;
    }

    private static void AssertSubset(JsonObject sent, JsonObject example)
    {
        var documented = Shape(example);
        var extra = Shape(sent).Where(p => !documented.Contains(p)).ToList();
        Assert.True(extra.Count == 0, "not in the documented example: " + string.Join(", ", extra));
    }

    [Fact]
    public void A_detection_rule_create_has_the_2026_shape_and_every_required_member()
    {
        var request = Fake.Client.CreateDetectionRule(new DetectionRuleRequest
        {
            Id = "office-encoded-powershell",
            DisplayName = "Suspicious encoded PowerShell from Office",
            Description = "Detects encoded PowerShell processes launched by Office applications.",
            QueryText = "DeviceProcessEvents | where ProcessCommandLine has '-enc'",
            Frequency = "PT1H",
            AlertTitle = "Suspicious encoded PowerShell from Office",
            Severity = "high",
            RecommendedActions = "Investigate the parent Office document.",
            Tactic = "Execution",
            Techniques = ["T1059.001"],
        }).Request;
        var sent = JsonNode.Parse(request.JsonBody!)!.AsObject();

        AssertSubset(sent, Example("detection-rule-create.json"));
        foreach (var required in new[] { "/id:string", "/displayName:string", "/status:string", "/queryCondition/queryText:string", "/schedule/frequency:string" })
        {
            Assert.Contains(required, Shape(sent));
        }

        Assert.Equal("https://graph.microsoft.com/beta/security/rules/detectionRules", request.Url.AbsoluteUri);
        Assert.DoesNotContain(Shape(sent), p => p.StartsWith("/isEnabled", StringComparison.Ordinal) || p.StartsWith("/schedule/period", StringComparison.Ordinal) || p.Contains("responseActions", StringComparison.Ordinal));
    }

    [Fact]
    public void A_detection_rule_update_sends_only_current_schema_members()
    {
        var sent = JsonNode.Parse(Fake.Client.UpdateDetectionRule("office-encoded-powershell", new DetectionRuleUpdate { DisplayName = "n", QueryText = "DeviceInfo", Frequency = "P1D", Severity = "low", Status = "disabled" }).Request.JsonBody!)!.AsObject();

        AssertSubset(sent, Example("detection-rule-create.json"));
    }

    [Theory]
    [InlineData("P1D")]
    [InlineData("PT3H")]
    public void Frequencies_are_iso_8601_durations(string frequency) =>
        Assert.Equal(frequency, JsonNode.Parse(Fake.Client.UpdateDetectionRule("r", new DetectionRuleUpdate { Frequency = frequency }).Request.JsonBody!)!["schedule"]!["frequency"]!.GetValue<string>());

    [Theory]
    [InlineData("1H")]
    [InlineData("24H")]
    [InlineData("0")]
    public void A_classic_period_is_refused_before_sending(string period)
    {
        var error = Assert.Throws<DefenderApiException>(() => Fake.Client.UpdateDetectionRule("r", new DetectionRuleUpdate { Frequency = period }));

        Assert.Equal(DefenderErrorCode.InvalidInput, error.Code);
        Assert.Contains("PT1H", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_classic_rule_reads_with_its_status_and_frequency()
    {
        using var doc = JsonDocument.Parse("""{ "id": "35079", "displayName": "Some rule name", "isEnabled": false, "queryCondition": { "queryText": "DeviceProcessEvents | take 1" }, "schedule": { "period": "24H" } }""");

        var rule = Parsing.ModelReader.ReadDetectionRule(doc.RootElement);

        Assert.Equal(("disabled", "P1D"), (rule.Status, rule.Frequency));
    }

    // The indicator examples (post-ti-indicator.md, import-ti-indicators.md) predate the retired actions' removal, so
    // they send Alert/AlertAndBlock; with a current action, the client's body has the examples' members under the same
    // names and kinds, plus generateAlert, which the same pages document as a body field (defender-api §3.9).
    private static readonly string[] IndicatorFieldsBeyondTheExample = ["/generateAlert:bool"];

    private static IndicatorRequest Indicator(JsonObject example) => new()
    {
        IndicatorValue = example["indicatorValue"]!.GetValue<string>(),
        IndicatorType = example["indicatorType"]!.GetValue<string>(),
        Action = "Block",
        Title = example["title"]!.GetValue<string>(),
        Description = example["description"]!.GetValue<string>(),
        Application = example["application"]!.GetValue<string>(),
        ExpirationTime = DateTimeOffset.Parse(example["expirationTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
        Severity = example["severity"]!.GetValue<string>(),
        RecommendedActions = example["recommendedActions"]!.GetValue<string>(),
        RbacGroupNames = [.. example["rbacGroupNames"]!.AsArray().Select(g => g!.GetValue<string>())],
    };

    [Fact]
    public void An_indicator_submit_has_the_documented_example_shape()
    {
        var example = Example("indicator-submit.json");

        var sent = JsonNode.Parse(Fake.Client.AddIndicator(Indicator(example)).Request.JsonBody!)!.AsObject();

        var shape = Shape(sent);
        Assert.Equal(Shape(example).Order(StringComparer.Ordinal), shape.Except(IndicatorFieldsBeyondTheExample).Order(StringComparer.Ordinal));
        Assert.Equal(example["indicatorValue"]!.GetValue<string>(), sent["indicatorValue"]!.GetValue<string>());
        Assert.Equal("2020-12-12T00:00:00Z", sent["expirationTime"]!.GetValue<string>());
    }

    [Fact]
    public void An_indicator_import_has_the_documented_example_shape()
    {
        var example = Example("indicator-import.json");
        var items = example["Indicators"]!.AsArray().Select(i => Indicator(i!.AsObject())).ToList();

        var sent = JsonNode.Parse(Fake.Client.ImportIndicators(items).Request.JsonBody!)!.AsObject();

        var beyond = IndicatorFieldsBeyondTheExample.Select(f => "/Indicators[]" + f);
        Assert.Equal(Shape(example).Order(StringComparer.Ordinal), Shape(sent).Except(beyond).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_incident_update_has_the_documented_example_shape()
    {
        var example = Example("incident-update.json");

        // The example's PascalCase values are accepted and sent as Graph's camelCase enum members.
        var sent = JsonNode.Parse(Fake.Client.UpdateIncident("7", new IncidentUpdate { Classification = "TruePositive", Determination = "MultiStagedAttack", CustomTags = ["Demo"] }).Request.JsonBody!)!.AsObject();

        Assert.Equal(Shape(example).Order(StringComparer.Ordinal), Shape(sent).Order(StringComparer.Ordinal));
        Assert.Equal(("truePositive", "multiStagedAttack"), (sent["classification"]!.GetValue<string>(), sent["determination"]!.GetValue<string>()));
    }
}
