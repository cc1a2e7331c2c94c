using System.Text.Json;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

public sealed class HuntingToolTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string PowerShellQuery = "DeviceProcessEvents | where FileName =~ \"powershell.exe\" | take 5";

    private async Task<int> HuntingRequestsAsync() =>
        (await fixture.Control.GetRequestsAsync(TestContext.Current.CancellationToken)).Count(r => r.Path.EndsWith("/security/runHuntingQuery", StringComparison.Ordinal));

    [Theory]
    [InlineData(null, "contoso")]
    [InlineData("contoso", "contoso")]
    [InlineData("fabrikam", "fabrikam")]
    public async Task Powershell_hunt_returns_rows_for_one_tenant(string? tenant, string expected)
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = PowerShellQuery, ["tenant"] = tenant });

        Assert.Equal(expected, result.GetProperty("tenant").GetString());
        Assert.Equal("P1D", result.GetProperty("timespan").GetString());
        Assert.Contains(result.GetProperty("schema").EnumerateArray(), c => c.GetProperty("Name").GetString() == "FileName");
        var rows = result.GetProperty("rows").EnumerateArray().ToList();
        Assert.InRange(rows.Count, 1, 5);
        Assert.All(rows, r => Assert.Equal("powershell.exe", r.GetProperty("FileName").GetString(), ignoreCase: true));
        Assert.Equal(rows.Count, result.GetProperty("returned_rows").GetInt32());
        Assert.False(result.GetProperty("truncated").GetBoolean());
        var metadata = result.GetProperty("metadata");
        Assert.Equal(result.GetProperty("row_count").GetInt32(), metadata.GetProperty("row_count").GetInt32());
        Assert.Equal(result.GetProperty("schema").GetArrayLength(), metadata.GetProperty("column_count").GetInt32());
        Assert.Equal("P1D", metadata.GetProperty("timespan").GetString());
    }

    [Fact]
    public async Task Star_fans_out_to_every_tenant_with_our_labels()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = PowerShellQuery, ["tenant"] = "*", ["timespan"] = "P7D" });

        Assert.True(result.GetProperty("fan_out").GetBoolean());
        Assert.Equal(["contoso", "fabrikam"], result.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        var entries = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["contoso", "fabrikam"], entries.Select(e => e.GetProperty("tenant").GetString()));
        Assert.All(entries, e => Assert.Equal(e.GetProperty("tenant").GetString(), e.GetProperty("result").GetProperty("tenant").GetString()));
        Assert.All(entries, e => Assert.True(e.GetProperty("result").GetProperty("returned_rows").GetInt32() > 0));
        // The two tenants hold different data.
        var devices = entries.Select(e => e.GetProperty("result").GetProperty("rows")[0].GetProperty("DeviceName").GetString()).ToList();
        Assert.NotEqual(devices[0], devices[1]);
    }

    [Fact]
    public async Task A_list_of_tenants_fans_out_to_just_those()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | take 1", ["tenant"] = new[] { "fabrikam" } });

        Assert.True(result.GetProperty("fan_out").GetBoolean());
        Assert.Equal(["fabrikam"], result.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Max_rows_truncates_and_says_why()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceProcessEvents | take 50", ["max_rows"] = 10, ["timespan"] = "P30D" });

        Assert.Equal(50, result.GetProperty("row_count").GetInt32());
        Assert.Equal(10, result.GetProperty("returned_rows").GetInt32());
        Assert.Equal(10, result.GetProperty("rows").GetArrayLength());
        Assert.True(result.GetProperty("truncated").GetBoolean());
        Assert.Equal("max_rows", result.GetProperty("truncation_reason").GetString());
    }

    [Fact]
    public async Task Rows_are_cut_at_the_byte_budget()
    {
        await using var server = await ServerHarness.StartAsync(fixture, s => s with { HuntingByteBudget = 4096 });

        var result = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceProcessEvents | take 200", ["max_rows"] = 1000, ["timespan"] = "P30D" });

        var returned = result.GetProperty("returned_rows").GetInt32();
        Assert.InRange(returned, 1, 199);
        Assert.Equal(200, result.GetProperty("row_count").GetInt32());
        Assert.Equal("byte_budget", result.GetProperty("truncation_reason").GetString());
        Assert.True(Encoding(result.GetProperty("rows")) <= 4096);
    }

    private static int Encoding(JsonElement rows) => System.Text.Encoding.UTF8.GetByteCount(rows.GetRawText());

    [Fact]
    public async Task A_wide_timespan_is_clamped_with_a_notice()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | where Timestamp > ago(1d) | take 1", ["timespan"] = "P90D" });

        Assert.Equal("P30D", result.GetProperty("timespan").GetString());
        Assert.Contains("clamped", result.GetProperty("notices")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".drop table DeviceProcessEvents")]
    [InlineData("DeviceProcessEvents | take 1; .show tables")]
    [InlineData("externaldata (a:string) [\"https://evil.example/x.csv\"]")]
    [InlineData("DeviceProcessEvents | evaluate http_request('https://evil.example')")]
    [InlineData("DeviceProcessEvents | where FileName == 'unterminated")]
    public async Task Guard_refuses_before_any_http_call(string query)
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var before = await HuntingRequestsAsync();

        var (code, message) = await server.CallErrorAsync("query_advanced_hunting", new() { ["query"] = query });

        Assert.Equal("kql_refused", code);
        Assert.StartsWith("Query refused by the KQL guard", message, StringComparison.Ordinal);
        Assert.EndsWith(". Nothing was sent. Rewrite the query without that construct, or fix it as the reason says: hunting is read-only, so commands, external data, network or code plugins and set statements are always refused.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("..", message, StringComparison.Ordinal);
        Assert.Equal(before, await HuntingRequestsAsync());
    }

    [Fact]
    public async Task A_query_the_service_rejects_without_a_guard_suggestion_says_how_to_fix_it()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var (code, message) = await server.CallErrorAsync("query_advanced_hunting", new() { ["query"] = "DeviceProcessEvents | where " });

        Assert.Equal("query_failed", code);
        Assert.StartsWith("The hunting service rejected the query: ", message, StringComparison.Ordinal);
        Assert.EndsWith(". Fix the query as the reason says; get_hunting_schema lists the tables and their columns.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("..", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_the_service_rejects_is_query_failed_with_the_guards_suggestion()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var (code, message) = await server.CallErrorAsync("query_advanced_hunting", new() { ["query"] = "DeviceProcesEvents | take 1" });
        var fanOut = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceProcesEvents | take 1", ["tenant"] = "*" });

        Assert.Equal("query_failed", code);
        Assert.Contains("Did you mean", message, StringComparison.Ordinal);
        Assert.Contains("DeviceProcessEvents", message, StringComparison.Ordinal);
        Assert.All(fanOut.GetProperty("results").EnumerateArray(), r => Assert.Equal("query_failed", r.GetProperty("error").GetProperty("code").GetString()));
    }

    [Theory]
    [InlineData("query", "")]
    [InlineData("query", true)]
    [InlineData("timespan", "1 day")]
    [InlineData("timespan", "-P1D")]
    [InlineData("timespan", "PT0S")]
    [InlineData("max_rows", 0)]
    [InlineData("max_rows", 1001)]
    [InlineData("max_rows", "lots")]
    [InlineData("tenant", 7)]
    [InlineData("tenant", "")]
    [InlineData("surprise", "x")]
    public async Task Bad_parameter_values_are_invalid_input(string name, object value)
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var args = new Dictionary<string, object?> { ["query"] = "DeviceInfo | take 1", [name] = value };

        var (code, message) = await server.CallErrorAsync("query_advanced_hunting", args);

        Assert.Equal("invalid_input", code);
        Assert.False(string.IsNullOrWhiteSpace(message));
    }

    [Fact]
    public async Task Query_longer_than_ten_thousand_characters_is_refused()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var (code, _) = await server.CallErrorAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | take 1 //" + new string('x', 10_000) });

        Assert.Equal("invalid_input", code);
    }

    [Theory]
    [InlineData("evil-tenant-xyz")]
    [InlineData("<script>alert(1)</script>")]
    public async Task Unknown_tenant_is_refused_without_echoing_it(string tenant)
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | take 1", ["tenant"] = tenant });

        Assert.True(result.IsError);
        var all = JsonSerializer.Serialize(result);
        Assert.DoesNotContain("evil-tenant", all, StringComparison.Ordinal);
        Assert.DoesNotContain("script", all, StringComparison.Ordinal);
        Assert.DoesNotContain("evil-tenant", server.AuditWriter.ToString(), StringComparison.Ordinal);
        Assert.Contains("Unknown tenant", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_call_writes_one_audit_line_with_the_validated_parameters()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = PowerShellQuery, ["max_rows"] = 3 });
        await server.CallErrorAsync("query_advanced_hunting", new() { ["query"] = ".drop table T" });

        var lines = server.AuditLines().Where(l => l.GetProperty("event").GetString() == "tool_call").ToList();
        Assert.Equal(2, lines.Count);
        var ok = lines[0];
        Assert.Equal("query_advanced_hunting", ok.GetProperty("tool").GetString());
        Assert.Equal(["contoso"], ok.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(PowerShellQuery, ok.GetProperty("params").GetProperty("query").GetString());
        Assert.Equal(3, ok.GetProperty("params").GetProperty("max_rows").GetInt32());
        Assert.Equal("success", ok.GetProperty("outcome").GetString());
        Assert.True(ok.GetProperty("duration_ms").GetInt64() >= 0);
        Assert.True(ok.GetProperty("counts").GetProperty("rows").GetInt64() > 0);
        Assert.False(string.IsNullOrEmpty(ok.GetProperty("client").GetProperty("name").GetString()));
        Assert.True(DateTimeOffset.TryParse(ok.GetProperty("ts").GetString(), out _));
        Assert.Equal("error", lines[1].GetProperty("outcome").GetString());
        Assert.Equal("kql_refused", lines[1].GetProperty("error_code").GetString());
        var text = server.AuditWriter.ToString();
        var app = fixture.Emulator.GetTenant("contoso").App;
        Assert.DoesNotContain(app.CertificatePassphrase, text, StringComparison.Ordinal);
        Assert.DoesNotContain(app.ClientSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", text, StringComparison.Ordinal); // no JWT
        Assert.DoesNotContain("Authorization", text, StringComparison.OrdinalIgnoreCase);
    }

    // The service searches only the request's timespan: a query that says ago(7d) under the default P1D reads one day
    // of rows, and nothing but this warning tells the model that the other six were never searched.
    [Fact]
    public async Task A_look_back_longer_than_the_timespan_is_warned_with_the_timespan_that_covers_it()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        const string query = "DeviceProcessEvents | where Timestamp > ago(7d) | summarize Rows = count()";

        var oneDay = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = query });
        var sevenDays = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = query, ["timespan"] = "P7D" });

        Assert.Contains(
            "The query looks back ago(7d), but the timespan is P1D: only rows from that timespan are searched; pass timespan P7D to search all of it.",
            oneDay.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        Assert.Empty(sevenDays.GetProperty("warnings").EnumerateArray());
        Assert.True(sevenDays.GetProperty("rows")[0].GetProperty("Rows").GetInt64() > oneDay.GetProperty("rows")[0].GetProperty("Rows").GetInt64());
    }
}
