using System.Text.Json;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// Graph tools return <c>high</c> and <c>inProgress</c>, Defender for Endpoint tools <c>High</c> and <c>InProgress</c>:
/// a severity or status filter takes either, in any casing, and the request carries the spelling its API compares
/// against. The emulator's filter ignores case, so the test reads the request sent, not only the rows returned.
/// </summary>
public sealed class FilterCasingTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string, string, string> Filters() => new()
    {
        // tool, argument, a value as some tool returns it, the upstream path, the clause the upstream must receive
        { "list_alerts", "severity", "High", "/v1.0/security/alerts_v2", "severity eq 'high'" },
        { "list_alerts", "status", "inProgress", "/v1.0/security/alerts_v2", "status eq 'inProgress'" },
        { "list_incidents", "severity", "medium", "/v1.0/security/incidents", "severity eq 'medium'" },
        { "list_incidents", "status", "Active", "/v1.0/security/incidents", "status eq 'active'" },
        { "list_incidents", "status", "inProgress", "/v1.0/security/incidents", "status eq 'inProgress'" },
        { "list_machine_actions", "status", "succeeded", "/api/machineactions", "status eq 'Succeeded'" },
        { "list_devices", "health_status", "active", "/api/machines", "healthStatus eq 'Active'" },
        { "list_devices", "risk_score", "high", "/api/machines", "riskScore eq 'High'" },
        { "list_devices", "exposure_level", "medium", "/api/machines", "exposureLevel eq 'Medium'" },
        { "list_vulnerabilities", "severity", "critical", "/api/vulnerabilities", "severity eq 'Critical'" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task A_severity_or_status_filter_takes_any_casing_and_sends_the_upstream_spelling(string tool, string argument, string value, string path, string clause)
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var answers = new List<string>();
        foreach (var casing in new[] { value, value.ToUpperInvariant(), value.ToLowerInvariant(), Alternate(value) })
        {
            var before = (await fixture.Control.GetRequestsAsync(Ct)).Count;
            var result = await server.CallOkAsync(tool, new() { [argument] = casing, ["limit"] = 100 });
            var sent = (await fixture.Control.GetRequestsAsync(Ct)).Skip(before).Where(r => r.Path == path).ToList();

            var filter = Uri.UnescapeDataString(Assert.Single(sent).Query.Replace('+', ' '));
            Assert.Contains(clause, filter, StringComparison.Ordinal);
            answers.Add(Rows(result));
        }

        // Every casing found the same rows.
        Assert.Single(answers.Distinct(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_alert_filtered_by_the_severity_another_tool_returned_is_found()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        // list_alerts (Graph) says "high"; the same value, and the MDE spelling, filter list_alerts and list_incidents.
        var alert = (await server.CallOkAsync("list_alerts", new() { ["limit"] = 1, ["severity"] = "high" })).GetProperty("alerts")[0];
        var severity = alert.GetProperty("severity").GetString()!;
        var incidents = await server.CallOkAsync("list_incidents", new() { ["severity"] = severity, ["limit"] = 100 });

        Assert.Equal("high", severity);
        Assert.NotEqual(0, incidents.GetProperty("count").GetInt32());
        Assert.All(incidents.GetProperty("incidents").EnumerateArray(), i => Assert.Equal("high", i.GetProperty("severity").GetString()));
    }

    [Fact]
    public async Task A_value_that_is_no_casing_of_an_allowed_one_is_invalid_input_and_nothing_is_sent()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var before = (await fixture.Control.GetRequestsAsync(Ct)).Count;

        var (code, message) = await server.CallErrorAsync("list_alerts", new() { ["severity"] = "hi gh" });

        Assert.Equal("invalid_input", code);
        Assert.Contains("High, Medium, Low, Informational", message, StringComparison.Ordinal);
        Assert.DoesNotContain((await fixture.Control.GetRequestsAsync(Ct)).Skip(before), r => r.Path.StartsWith("/v1.0/security/", StringComparison.Ordinal));
    }

    // "inProgress" → "InPrOgReSs": a casing no API uses.
    private static string Alternate(string value) =>
        string.Concat(value.Select((c, i) => i % 2 == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)));

    private static string Rows(JsonElement result)
    {
        var list = result.EnumerateObject().Single(p => p.Value.ValueKind == JsonValueKind.Array && p.Name is not "tenants").Value;
        return string.Join(",", list.EnumerateArray().Select(r => r.TryGetProperty("id", out var id) ? id.ToString() : r.GetRawText()));
    }
}
