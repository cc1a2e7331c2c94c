using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

public sealed class IncidentAndAlertToolTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private async Task<int> ApiRequestsAsync() =>
        (await fixture.Control.GetRequestsAsync(TestContext.Current.CancellationToken)).Count(r => r.Path.Contains("/security/", StringComparison.Ordinal));

    [Fact]
    public async Task The_text_block_is_readable_json_without_html_escapes()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallAsync("get_incident", new() { ["incident_id"] = "4301" });
        var text = Assert.IsType<ModelContextProtocol.Protocol.TextContentBlock>(Assert.Single(result.Content)).Text;

        Assert.Contains("Initial access & Credential access", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0026", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", text, StringComparison.Ordinal);
        Assert.Equal(
            Assert.IsType<System.Text.Json.JsonElement>(result.StructuredContent).GetProperty("incident").GetProperty("display_name").GetString(),
            System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("incident").GetProperty("display_name").GetString());
    }

    [Fact]
    public async Task List_incidents_filters_by_severity_and_respects_the_limit()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var all = await server.CallOkAsync("list_incidents", new() { ["limit"] = 100 });
        var high = await server.CallOkAsync("list_incidents", new() { ["severity"] = "high", ["limit"] = 100 });
        var two = await server.CallOkAsync("list_incidents", new() { ["limit"] = 2 });

        Assert.Equal("contoso", all.GetProperty("tenant").GetString());
        var allIncidents = all.GetProperty("incidents").EnumerateArray().ToList();
        Assert.True(allIncidents.Count >= 3);
        var highIncidents = high.GetProperty("incidents").EnumerateArray().ToList();
        Assert.NotEmpty(highIncidents);
        Assert.All(highIncidents, i => Assert.Equal("high", i.GetProperty("severity").GetString()));
        Assert.True(highIncidents.Count < allIncidents.Count);
        Assert.Equal(2, two.GetProperty("incidents").GetArrayLength());
    }

    [Fact]
    public async Task List_incidents_filters_by_status_and_creation_time()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var active = await server.CallOkAsync("list_incidents", new() { ["status"] = "Active", ["limit"] = 100 });
        var future = await server.CallOkAsync("list_incidents", new() { ["created_after"] = DateTimeOffset.UtcNow.AddDays(1).ToString("o") });

        Assert.All(active.GetProperty("incidents").EnumerateArray(), i => Assert.Equal("active", i.GetProperty("status").GetString()));
        Assert.Equal(0, future.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Get_incident_returns_alerts_and_impacted_entities()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var list = await server.CallOkAsync("list_incidents", new() { ["severity"] = "High", ["status"] = "Active" });
        var id = list.GetProperty("incidents")[0].GetProperty("id").GetString();

        var result = await server.CallOkAsync("get_incident", new() { ["incident_id"] = id });

        Assert.Equal("contoso", result.GetProperty("tenant").GetString());
        Assert.Equal(id, result.GetProperty("incident").GetProperty("id").GetString());
        Assert.Equal("high", result.GetProperty("incident").GetProperty("severity").GetString());
        var alerts = result.GetProperty("alerts").EnumerateArray().ToList();
        Assert.NotEmpty(alerts);
        Assert.Equal(alerts.Count, result.GetProperty("alert_count").GetInt32());
        Assert.All(alerts, a => Assert.Equal(id, a.GetProperty("incident_id").GetString()));
        var entities = result.GetProperty("impacted_entities").EnumerateArray().ToList();
        Assert.Contains(entities, e => e.GetProperty("type").GetString() == "device" && !string.IsNullOrEmpty(e.GetProperty("name").GetString()));
        Assert.All(entities, e => Assert.NotEmpty(e.GetProperty("alert_ids").EnumerateArray()));
    }

    [Fact]
    public async Task Get_incident_of_another_tenant_is_not_found()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var (code, _) = await server.CallErrorAsync("get_incident", new() { ["incident_id"] = "999999999" });

        Assert.Equal("not_found", code);
    }

    [Theory]
    [InlineData("get_incident", "incident_id", "../1")]
    [InlineData("get_incident", "incident_id", "1?$expand=alerts")]
    [InlineData("get_incident", "incident_id", "abc")]
    [InlineData("get_incident", "incident_id", "")]
    [InlineData("get_alert", "alert_id", "../../api/machines")]
    [InlineData("get_alert", "alert_id", "da1?$select=id")]
    [InlineData("get_alert", "alert_id", "a b")]
    public async Task Ids_that_could_ride_into_a_url_are_refused_before_any_request(string tool, string parameter, string id)
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var before = await ApiRequestsAsync();

        var (code, message) = await server.CallErrorAsync(tool, new() { [parameter] = id });

        Assert.Equal("invalid_input", code);
        Assert.Contains(parameter, message, StringComparison.Ordinal);
        Assert.Equal(before, await ApiRequestsAsync());
    }

    [Fact]
    public async Task Missing_required_ids_are_invalid_input()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        Assert.Equal("invalid_input", (await server.CallErrorAsync("get_incident")).Code);
        Assert.Equal("invalid_input", (await server.CallErrorAsync("get_alert")).Code);
    }

    [Fact]
    public async Task List_alerts_maps_status_case_insensitively_and_filters_severity()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var high = await server.CallOkAsync("list_alerts", new() { ["severity"] = "High", ["limit"] = 100 });
        var fresh = await server.CallOkAsync("list_alerts", new() { ["status"] = "new", ["limit"] = 100 });
        var five = await server.CallOkAsync("list_alerts", new() { ["limit"] = 5 });

        Assert.NotEmpty(high.GetProperty("alerts").EnumerateArray());
        Assert.All(high.GetProperty("alerts").EnumerateArray(), a => Assert.Equal("high", a.GetProperty("severity").GetString()));
        Assert.All(fresh.GetProperty("alerts").EnumerateArray(), a => Assert.Equal("new", a.GetProperty("status").GetString()));
        Assert.InRange(five.GetProperty("alerts").GetArrayLength(), 1, 5);
        Assert.Equal(25, (await server.CallOkAsync("list_alerts")).GetProperty("limit").GetInt32());
    }

    [Theory]
    [InlineData("severity", "Critical")]
    [InlineData("severity", 3)]
    [InlineData("status", "Closed")]
    [InlineData("limit", 0)]
    [InlineData("limit", 101)]
    [InlineData("limit", 2.5)]
    public async Task List_alerts_refuses_bad_values(string name, object value)
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var (code, _) = await server.CallErrorAsync("list_alerts", new() { [name] = value });

        Assert.Equal("invalid_input", code);
    }

    [Theory]
    [InlineData("status", "open")]
    [InlineData("severity", "urgent")]
    [InlineData("created_after", "yesterday")]
    [InlineData("limit", -1)]
    public async Task List_incidents_refuses_bad_values(string name, object value)
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var (code, _) = await server.CallErrorAsync("list_incidents", new() { [name] = value });

        Assert.Equal("invalid_input", code);
    }

    [Fact]
    public async Task Get_alert_returns_its_evidence_as_entities()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var alerts = await server.CallOkAsync("list_alerts", new() { ["severity"] = "High" });
        var id = alerts.GetProperty("alerts")[0].GetProperty("id").GetString();

        var result = await server.CallOkAsync("get_alert", new() { ["alert_id"] = id });

        Assert.Equal(id, result.GetProperty("alert").GetProperty("id").GetString());
        Assert.NotEmpty(result.GetProperty("entities").EnumerateArray());
        Assert.All(result.GetProperty("entities").EnumerateArray(), e => Assert.Equal([id], e.GetProperty("alert_ids").EnumerateArray().Select(x => x.GetString())));
    }

    [Fact]
    public async Task High_alerts_fan_out_across_tenants()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("list_alerts", new() { ["severity"] = "High", ["tenant"] = "*" });

        var entries = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["contoso", "fabrikam"], entries.Select(e => e.GetProperty("tenant").GetString()));
        Assert.All(entries, e => Assert.NotEmpty(e.GetProperty("result").GetProperty("alerts").EnumerateArray()));
        var ids = entries.SelectMany(e => e.GetProperty("result").GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("id").GetString())).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
