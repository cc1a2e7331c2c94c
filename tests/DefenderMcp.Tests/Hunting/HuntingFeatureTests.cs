using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Kql.Schema;
using DefenderMcp.Tests.Support;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Hunting;

public sealed class HuntingFeatureTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<int> HuntingRequestsAsync() =>
        (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Path.EndsWith("/runHuntingQuery", StringComparison.Ordinal));

    [Fact]
    public async Task Paging_the_cache_returns_exactly_the_upstream_rows_in_order_without_calling_the_api()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        const string query = "DeviceProcessEvents | project Timestamp, DeviceName, FileName, ProcessId | take 250";
        var first = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = query, ["max_rows"] = 100, ["timespan"] = "P30D" });
        var all = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = query, ["max_rows"] = 1000, ["timespan"] = "P30D" });
        var id = first.GetProperty("result_id").GetString();
        var before = await HuntingRequestsAsync();

        var paged = new List<string>();
        int? offset = 0;
        while (offset is { } o)
        {
            var page = await server.CallOkAsync("get_hunting_results", new() { ["result_id"] = id, ["offset"] = o, ["limit"] = 70 });
            paged.AddRange(page.GetProperty("rows").EnumerateArray().Select(r => r.GetRawText()));
            offset = page.GetProperty("next_offset").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_offset").GetInt32();
        }

        Assert.Equal(before, await HuntingRequestsAsync());
        Assert.Equal(250, paged.Count);
        Assert.Equal(all.GetProperty("rows").EnumerateArray().Select(r => r.GetRawText()), paged);
    }

    [Theory]
    [InlineData("P1W", "P7D", null)]
    [InlineData("p2w", "P14D", null)]
    [InlineData("P5W", "P30D", "timespan P5W was clamped to P30D")]
    [InlineData("P1M", "P30D", "timespan P1M was read as P30D (a month counts as 30 days")]
    [InlineData("PT90M", "PT1H30M", null)]
    [InlineData("P1Y", "P30D", "timespan P1Y was clamped to P30D")]
    public async Task A_timespan_in_weeks_is_an_iso_8601_duration_too(string timespan, string effective, string? notice)
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | where Timestamp > ago(1d) | take 1", ["timespan"] = timespan });

        Assert.Equal(effective, result.GetProperty("timespan").GetString());
        Assert.Equal(notice is null ? [] : [notice], result.GetProperty("notices").EnumerateArray().Select(n => n.GetString()![..Math.Min(n.GetString()!.Length, notice?.Length ?? 0)]));
    }

    [Fact]
    public async Task Projection_keeps_only_the_asked_columns_and_unknown_columns_are_refused()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var first = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | take 10", ["max_rows"] = 1 });
        var id = first.GetProperty("result_id").GetString();

        var page = await server.CallOkAsync("get_hunting_results", new() { ["result_id"] = id, ["columns"] = new[] { "DeviceName", "OSPlatform" } });
        var (code, message) = await server.CallErrorAsync("get_hunting_results", new() { ["result_id"] = id, ["columns"] = new[] { "NoSuchColumn" } });

        Assert.Equal(["DeviceName", "OSPlatform"], page.GetProperty("schema").EnumerateArray().Select(c => c.GetProperty("Name").GetString()));
        Assert.All(page.GetProperty("rows").EnumerateArray(), r => Assert.Equal(["DeviceName", "OSPlatform"], r.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(10, page.GetProperty("returned_rows").GetInt32());
        Assert.Equal("invalid_input", code);
        Assert.Contains("NoSuchColumn", message, StringComparison.Ordinal);
    }

    // Before, an offset past the end was clamped to an empty page at the end, with nothing saying why: a model that
    // guessed offsets paged on through empty pages.
    [Fact]
    public async Task An_offset_past_the_end_is_refused_with_the_row_count_and_the_last_valid_offset()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var first = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | take 10", ["max_rows"] = 1 });
        var id = first.GetProperty("result_id").GetString();

        var last = await server.CallOkAsync("get_hunting_results", new() { ["result_id"] = id, ["offset"] = 9 });
        var atEnd = await server.CallErrorAsync("get_hunting_results", new() { ["result_id"] = id, ["offset"] = 10 });
        var farPast = await server.CallErrorAsync("get_hunting_results", new() { ["result_id"] = id, ["offset"] = 100_000, ["limit"] = 5 });

        Assert.Equal(10, first.GetProperty("row_count").GetInt32());
        Assert.Equal((9, 1, JsonValueKind.Null), (last.GetProperty("offset").GetInt32(), last.GetProperty("returned_rows").GetInt32(), last.GetProperty("next_offset").ValueKind));
        Assert.Equal(("invalid_input", "offset 10 is past the end of this result: it has 10 rows, so the last valid offset is 9. A page whose next_offset is null is the last one; there is nothing more to read."), atEnd);
        Assert.Equal("invalid_input", farPast.Code);
        Assert.StartsWith("offset 100000 is past the end of this result: it has 10 rows, so the last valid offset is 9.", farPast.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_result_pages_at_offset_0_and_refuses_any_other()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var first = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | where DeviceName == 'no-such-device.example' | take 1" });
        var id = first.GetProperty("result_id").GetString();

        var page = await server.CallOkAsync("get_hunting_results", new() { ["result_id"] = id });
        var (code, message) = await server.CallErrorAsync("get_hunting_results", new() { ["result_id"] = id, ["offset"] = 1 });

        Assert.Equal((0, 0), (page.GetProperty("row_count").GetInt32(), page.GetProperty("returned_rows").GetInt32()));
        Assert.Equal("invalid_input", code);
        Assert.Equal("offset 1 is past the end of this result: it has no rows, so 0 is the only valid offset and there is nothing more to read.", message);
    }

    [Fact]
    public async Task A_column_asked_in_the_wrong_case_is_refused_with_its_real_spelling()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var first = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | where Timestamp > ago(1d) | take 2" });

        var (code, message) = await server.CallErrorAsync("get_hunting_results", new() { ["result_id"] = first.GetProperty("result_id").GetString(), ["columns"] = new[] { "devicename", "Nope" } });

        Assert.Equal("invalid_input", code);
        Assert.StartsWith("Unknown column(s): devicename, Nope. Column names are case-sensitive and given without KQL quotes: did you mean DeviceName? Columns: Timestamp, DeviceId, DeviceName,", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_expired_or_other_tenant_results_are_not_found()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var first = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | take 3", ["tenant"] = "fabrikam" });
        var id = first.GetProperty("result_id").GetString();

        var missing = await server.CallErrorAsync("get_hunting_results", new() { ["result_id"] = "hr_AAAAAAAAAAAAAAAAAAAAAA" });
        Assert.Equal("not_found", missing.Code);

        // A result id is either a hunt's or a live-response script's output: the way back names both.
        Assert.Contains("query_advanced_hunting", missing.Message, StringComparison.Ordinal);
        Assert.Contains("get_live_response_result", missing.Message, StringComparison.Ordinal);
        Assert.Equal("not_found", (await server.CallErrorAsync("get_hunting_results", new() { ["result_id"] = id, ["tenant"] = "contoso" })).Code);
        Assert.Equal("invalid_input", (await server.CallErrorAsync("get_hunting_results", new() { ["result_id"] = "../etc" })).Code);
        Assert.Equal("fabrikam", (await server.CallOkAsync("get_hunting_results", new() { ["result_id"] = id, ["tenant"] = "fabrikam" })).GetProperty("tenant").GetString());
    }

    [Fact]
    public async Task Schema_lists_tables_gives_columns_and_compares_with_a_live_tenant()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var list = await server.CallOkAsync("get_hunting_schema");
        var table = await server.CallOkAsync("get_hunting_schema", new() { ["table"] = "DeviceProcessEvents", ["tenant"] = "contoso" });
        var (code, message) = await server.CallErrorAsync("get_hunting_schema", new() { ["table"] = "DeviceProcessEvent" });

        Assert.Equal(HuntingSchemaCatalog.Tables.Count + HuntingSchemaCatalog.Functions.Count, list.GetProperty("tables").GetArrayLength());
        Assert.Contains(list.GetProperty("tables").EnumerateArray(), t => t.GetProperty("name").GetString() == "DeviceTvmSoftwareVulnerabilities");
        Assert.Contains(list.GetProperty("tables").EnumerateArray(), t => t.GetProperty("name").GetString() == "FileProfile" &&
            t.GetProperty("purpose").GetString()!.StartsWith("Function, call as 'invoke FileProfile(", StringComparison.Ordinal));
        // The whole list stays small enough for one tool result.
        Assert.InRange(list.GetRawText().Length, 1, 16 * 1024);
        Assert.Contains(table.GetProperty("columns").EnumerateArray(), c => c.GetProperty("Name").GetString() == "ProcessCommandLine" && c.GetProperty("Type").GetString() == "string");
        Assert.Empty(table.GetProperty("live").GetProperty("missing_in_tenant").EnumerateArray());
        Assert.Empty(table.GetProperty("live").GetProperty("type_mismatches").EnumerateArray());
        Assert.Equal("not_found", code);
        Assert.Contains("DeviceProcessEvents", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_documented_function_answers_with_its_columns_and_has_no_live_schema()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var function = await server.CallOkAsync("get_hunting_schema", new() { ["table"] = "DeviceFromIP" });
        var (code, _) = await server.CallErrorAsync("get_hunting_schema", new() { ["table"] = "SeenBy", ["tenant"] = "contoso" });

        Assert.Equal("DeviceFromIP", function.GetProperty("table").GetString());
        Assert.Equal(["IP", "DeviceId"], function.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("Name").GetString()));
        Assert.Equal("invalid_input", code);
    }

    [Fact]
    public async Task The_story_cve_finds_the_compromised_laptop_through_the_server_and_the_live_schema_matches()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("query_advanced_hunting", new()
        {
            ["query"] = "DeviceTvmSoftwareVulnerabilities | where CveId == 'CVE-2023-36884' | distinct DeviceName, SoftwareName | sort by DeviceName asc",
        });
        var schema = await server.CallOkAsync("get_hunting_schema", new() { ["table"] = "DeviceTvmSoftwareVulnerabilities", ["tenant"] = "contoso" });

        var devices = result.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("DeviceName").GetString()!).ToList();
        Assert.Equal(6, devices.Count);
        Assert.Contains("ctso-fin-lt-011.contoso.com", devices);
        Assert.All(result.GetProperty("rows").EnumerateArray(), r => Assert.Equal("office", r.GetProperty("SoftwareName").GetString()));
        Assert.Empty(result.GetProperty("warnings").EnumerateArray());
        Assert.Empty(schema.GetProperty("live").GetProperty("missing_in_tenant").EnumerateArray());
        Assert.Empty(schema.GetProperty("live").GetProperty("extra_in_tenant").EnumerateArray());
        Assert.Empty(schema.GetProperty("live").GetProperty("type_mismatches").EnumerateArray());
    }

    [Fact]
    public async Task Unknown_table_warnings_come_back_with_the_result()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var (code, message) = await server.CallErrorAsync("query_advanced_hunting", new() { ["query"] = "DeviceProcessEvent | take 1" });

        // The guard warns; the service then refuses the unknown table, and its message names it.
        Assert.Equal("query_failed", code);
        Assert.Contains("DeviceProcessEvent", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_saved_hunt_in_the_starter_pack_runs_green_on_the_demo_tenants()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var list = await server.CallOkAsync("list_saved_hunts");
        var names = list.GetProperty("hunts").EnumerateArray().Select(h => h.GetProperty("name").GetString()!).ToList();

        Assert.True(names.Count >= 10, $"only {names.Count} saved hunts");
        Assert.Empty(list.GetProperty("problems").EnumerateArray());
        var rowsByHunt = new Dictionary<string, int>();
        foreach (var name in names)
        {
            var result = await server.CallOkAsync("run_saved_hunt", new() { ["name"] = name, ["tenant"] = "*" });
            var entries = result.GetProperty("results").EnumerateArray().ToList();
            Assert.All(entries, e => Assert.True(e.TryGetProperty("result", out _), $"{name} failed: {e}"));
            rowsByHunt[name] = entries.Sum(e => e.GetProperty("result").GetProperty("row_count").GetInt32());
        }

        // The attack story shows up in both tenants.
        foreach (var name in new[] { "encoded-powershell", "lsass-credential-dumping", "psexec-lateral-movement", "phishing-clicks", "delivered-phish", "downloaded-executables", "admin-share-file-copies" })
        {
            Assert.True(rowsByHunt[name] >= 2, $"{name} found {rowsByHunt[name]} rows");
        }
    }

    [Fact]
    public async Task A_scheduled_hunt_runs_repeatedly_and_stops_when_unscheduled()
    {
        await using var server = await ServerHarness.StartAsync(fixture, s => s with { HuntScheduleMinimum = TimeSpan.FromMilliseconds(50) }, ActionTier.Respond);

        var scheduled = await server.CallOkAsync("schedule_hunt", new() { ["name"] = "phishing-clicks", ["every"] = "PT0.2S", ["tenant"] = "fabrikam" });
        Assert.True(scheduled.GetProperty("scheduled").GetBoolean());
        var runs = 0;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            while (runs < 2)
            {
                await Task.Delay(100, timeout.Token);
                runs = (await server.CallOkAsync("get_hunt_results", new() { ["name"] = "phishing-clicks" })).GetProperty("count").GetInt32();
            }
        }

        var stopped = await server.CallOkAsync("unschedule_hunt", new() { ["name"] = "phishing-clicks" });
        var after = (await server.CallOkAsync("get_hunt_results", new() { ["name"] = "phishing-clicks" })).GetProperty("count").GetInt32();
        await Task.Delay(600, Ct); // three intervals: long enough for a run that should not happen
        var later = await server.CallOkAsync("get_hunt_results", new() { ["name"] = "phishing-clicks" });

        Assert.False(stopped.GetProperty("scheduled").GetBoolean());
        Assert.Equal(after, later.GetProperty("count").GetInt32());
        var run = later.GetProperty("runs")[0];
        Assert.Equal("fabrikam", run.GetProperty("tenant").GetString());
        Assert.True(run.GetProperty("row_count").GetInt32() >= 1);
        Assert.Contains(server.AuditLines(), l => l.GetProperty("event").GetString() == "scheduled_hunt_run");
    }

    [Fact]
    public async Task Scheduling_needs_the_respond_tier_and_a_valid_interval()
    {
        await using var readOnly = await ServerHarness.StartAsync(fixture);
        await using var respond = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond);

        var tools = await readOnly.Client.ListToolsAsync(cancellationToken: Ct);
        Assert.DoesNotContain(tools, t => t.Name == "schedule_hunt");
        Assert.Equal("invalid_input", (await respond.CallErrorAsync("schedule_hunt", new() { ["name"] = "phishing-clicks", ["every"] = "PT1S" })).Code);
        Assert.Equal("invalid_input", (await respond.CallErrorAsync("schedule_hunt", new() { ["name"] = "phishing-clicks", ["every"] = "often" })).Code);
        Assert.Equal("not_found", (await respond.CallErrorAsync("schedule_hunt", new() { ["name"] = "no-such-hunt", ["every"] = "PT1H" })).Code);
    }

    [Fact]
    public async Task Resources_and_the_hunting_prompt_are_served()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var first = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | take 4", ["max_rows"] = 1 });

        var schema = await server.Client.ReadResourceAsync("defender://schema/DeviceInfo", cancellationToken: Ct);
        var hunt = await server.Client.ReadResourceAsync("defender://hunts/encoded-powershell", cancellationToken: Ct);
        var result = await server.Client.ReadResourceAsync($"defender://results/{first.GetProperty("result_id").GetString()}", cancellationToken: Ct);
        var prompt = await server.Client.GetPromptAsync("hunt_technique", new Dictionary<string, object?> { ["technique"] = "T1003.001" }, cancellationToken: Ct);

        Assert.Contains("\"OSPlatform\"", Text(schema), StringComparison.Ordinal);
        Assert.Contains("FromBase64String", Text(hunt), StringComparison.Ordinal);
        Assert.Equal(4, JsonDocument.Parse(Text(result)).RootElement.GetProperty("rows").GetArrayLength());
        Assert.Contains("get_hunting_results", string.Join(" ", prompt.Messages.Select(m => (m.Content as TextContentBlock)?.Text)), StringComparison.Ordinal);
    }

    // The resources key a column Name and Type as the hunting tools do (they said name and type), so a model that
    // pages a result with get_hunting_results or reads it whole sees one shape.
    [Fact]
    public async Task The_schema_and_result_resources_key_columns_as_the_hunting_tools_do()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var hunt = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | take 2 | project Timestamp, DeviceName" });
        var tool = await server.CallOkAsync("get_hunting_schema", new() { ["table"] = "DeviceInfo" });

        var schema = JsonDocument.Parse(Text(await server.Client.ReadResourceAsync("defender://schema/DeviceInfo", cancellationToken: Ct))).RootElement;
        var result = JsonDocument.Parse(Text(await server.Client.ReadResourceAsync($"defender://results/{hunt.GetProperty("result_id").GetString()}", cancellationToken: Ct))).RootElement;

        Assert.Equal(tool.GetProperty("columns").GetRawText(), schema.GetProperty("columns").GetRawText());
        Assert.Equal(hunt.GetProperty("schema").GetRawText(), result.GetProperty("schema").GetRawText());
    }

    private static string Text(ReadResourceResult result) => Assert.IsType<TextResourceContents>(Assert.Single(result.Contents)).Text;
}
