using System.Text.Json;
using DefenderMcp.Emulator.Data;

namespace DefenderMcp.Emulator.Tests;

/// <summary>Graph reads and writes over HTTPS, the attack story, and reset. Tests in a class run one at a time.</summary>
public sealed class GraphApiTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Following_next_links_visits_every_incident_once_newest_first()
    {
        var token = await fixture.SecretTokenAsync("fabrikam");
        var seen = new List<JsonElement>();
        string? next = "v1.0/security/incidents?$top=3&$count=true";
        int? count = null;
        var pages = 0;
        while (next is not null)
        {
            var page = await fixture.SendAsync(HttpMethod.Get, next, token);
            Assert.Equal(200, page.Status);
            count ??= page.Json.GetProperty("@odata.count").GetInt32();
            seen.AddRange(page.Json.GetProperty("value").EnumerateArray().Select(e => e.Clone()));
            next = page.Json.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
            Assert.True(next is null || next.StartsWith(fixture.Emulator.BaseUri.ToString(), StringComparison.Ordinal));
            pages++;
        }

        var created = seen.Select(i => i.GetProperty("createdDateTime").GetString()).ToList();
        Assert.Equal(count, seen.Count);
        Assert.InRange(seen.Count, 6, 12);
        Assert.Equal((seen.Count + 2) / 3, pages);
        Assert.Equal(seen.Count, seen.Select(i => i.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(created.OrderDescending(StringComparer.Ordinal), created);
    }

    [Fact]
    public async Task Without_top_a_page_holds_at_most_fifty()
    {
        var token = await fixture.SecretTokenAsync("contoso");

        var all = await fixture.SendAsync(HttpMethod.Get, "v1.0/security/alerts_v2", token);
        var skipped = await fixture.SendAsync(HttpMethod.Get, "v1.0/security/alerts_v2?$skip=2", token);
        var badTop = await fixture.SendAsync(HttpMethod.Get, "v1.0/security/alerts_v2?$top=abc", token);

        var count = all.Json.GetProperty("value").GetArrayLength();
        Assert.InRange(count, 8, 50);
        Assert.False(all.Json.TryGetProperty("@odata.nextLink", out _));
        Assert.Equal(count - 2, skipped.Json.GetProperty("value").GetArrayLength());
        Assert.Equal((400, "BadRequest"), (badTop.Status, badTop.ErrorCode));
    }

    [Theory]
    [InlineData("severity eq 'high'", "severity", "high")]
    [InlineData("status eq 'new'", "status", "new")]
    [InlineData("serviceSource eq 'microsoftDefenderForOffice365'", "serviceSource", "microsoftDefenderForOffice365")]
    [InlineData("classification eq 'truePositive' and determination eq 'malware'", "determination", "malware")]
    public async Task Alert_filters_select_only_matching_alerts(string filter, string property, string value)
    {
        var token = await fixture.SecretTokenAsync("contoso");

        var reply = await fixture.SendAsync(HttpMethod.Get, $"v1.0/security/alerts_v2?$filter={Uri.EscapeDataString(filter)}", token);

        var alerts = reply.Json.GetProperty("value").EnumerateArray().ToList();
        Assert.NotEmpty(alerts);
        Assert.All(alerts, a => Assert.Equal(value, a.GetProperty(property).GetString()));
    }

    [Fact]
    public async Task The_story_incident_is_high_active_and_its_evidence_names_the_dropped_file()
    {
        var token = await fixture.SecretTokenAsync("contoso");

        var incidents = await fixture.SendAsync(HttpMethod.Get, "v1.0/security/incidents?$filter=severity eq 'high' and status eq 'active'&$expand=alerts", token);
        var story = Assert.Single(incidents.Json.GetProperty("value").EnumerateArray());
        var evidence = story.GetProperty("alerts").EnumerateArray().SelectMany(a => a.GetProperty("evidence").EnumerateArray()).ToList();
        var files = evidence.Where(e => e.GetProperty("@odata.type").GetString() == "#microsoft.graph.security.fileEvidence").ToList();
        var hunt = await fixture.HuntAsync($"DeviceFileEvents | where SHA256 == '{DataGenerator.PayloadSha256}' | project DeviceName, FolderPath, SHA1", token, "P2D");

        Assert.InRange(story.GetProperty("alerts").GetArrayLength(), 1, 5);
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Equal(DataGenerator.PayloadSha1, f.GetProperty("fileDetails").GetProperty("sha1").GetString()));
        Assert.Contains(evidence, e => e.GetProperty("@odata.type").GetString() == "#microsoft.graph.security.deviceEvidence" && e.GetProperty("deviceDnsName").GetString() == "ctso-fin-lt-011.contoso.com");
        Assert.Contains(evidence, e => e.GetProperty("@odata.type").GetString() == "#microsoft.graph.security.processEvidence" && e.GetProperty("processCommandLine").GetString()!.Contains("lsass", StringComparison.Ordinal));
        Assert.Contains(evidence, e => e.GetProperty("@odata.type").GetString() == "#microsoft.graph.security.mailboxEvidence" && e.GetProperty("primaryAddress").GetString() == "adele.vance@contoso.com");
        Assert.All(story.GetProperty("alerts").EnumerateArray(), a => Assert.All(a.GetProperty("evidence").EnumerateArray(), e => Assert.Equal(a.GetProperty("createdDateTime").GetString(), e.GetProperty("createdDateTime").GetString())));
        Assert.Equal(["ctso-fin-lt-011.contoso.com", "ctso-srv-file-01.contoso.com"], hunt.Body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("DeviceName").GetString()).Order());
    }

    [Fact]
    public async Task The_hunting_body_and_timespan_are_checked()
    {
        var token = await fixture.SecretTokenAsync("contoso");

        var array = await fixture.SendAsync(HttpMethod.Post, "v1.0/security/runHuntingQuery", token, rawBody: "[\"DeviceInfo\"]");
        var missing = await fixture.SendAsync(HttpMethod.Post, "v1.0/security/runHuntingQuery", token, new { Timespan = "P1D" });
        var badSpan = await fixture.SendAsync(HttpMethod.Post, "v1.0/security/runHuntingQuery", token, new { Query = "DeviceInfo | take 1", Timespan = "yesterday" });
        var lowerCase = await fixture.SendAsync(HttpMethod.Post, "v1.0/security/runHuntingQuery", token, new { query = "DeviceInfo | take 2", timespan = "PT12H" });
        var interval = await fixture.SendAsync(HttpMethod.Post, "v1.0/security/runHuntingQuery", token, new { Query = "DeviceInfo | count", Timespan = $"{DateTime.UtcNow.AddDays(-40):yyyy-MM-ddTHH:mm:ssZ}/{DateTime.UtcNow.AddDays(-35):yyyy-MM-ddTHH:mm:ssZ}" });
        var beta = await fixture.SendAsync(HttpMethod.Post, "beta/security/runHuntingQuery", token, new { Query = "DeviceInfo | take 1" });

        Assert.Equal((400, "BadRequest"), (array.Status, array.ErrorCode));
        Assert.Equal((400, "BadRequest"), (missing.Status, missing.ErrorCode));
        Assert.Equal((400, "BadRequest"), (badSpan.Status, badSpan.ErrorCode));
        Assert.Equal(2, lowerCase.Json.GetProperty("results").GetArrayLength());
        Assert.Equal("https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults", lowerCase.Json.GetProperty("@odata.context").GetString());
        Assert.Equal(0, interval.Json.GetProperty("results")[0].GetProperty("Count").GetInt64());
        Assert.Equal(200, beta.Status);
    }

    [Fact]
    public async Task Incident_updates_comments_and_reset()
    {
        var token = await fixture.SecretTokenAsync("fabrikam");
        var readOnly = await fixture.SecretTokenAsync("fabrikam", limited: true);
        const string path = "v1.0/security/incidents/7105";

        var patched = await fixture.SendAsync(HttpMethod.Patch, path, token, new { status = "resolved", classification = "truePositive", determination = "notMalicious", assignedTo = "soc@fabrikam.com", customTags = new[] { "Demo" } });
        var badValue = await fixture.SendAsync(HttpMethod.Patch, path, token, new { status = "closed" });
        var badField = await fixture.SendAsync(HttpMethod.Patch, path, token, new { displayName = "renamed" });
        var missing = await fixture.SendAsync(HttpMethod.Patch, "v1.0/security/incidents/1", token, new { status = "active" });
        var forbidden = await fixture.SendAsync(HttpMethod.Patch, path, readOnly, new { status = "active" });
        await fixture.SendAsync(HttpMethod.Post, $"{path}/comments", token, new { comment = "first" });
        var comments = await fixture.SendAsync(HttpMethod.Post, $"{path}/comments", token, new { comment = "second" });
        var emptyComment = await fixture.SendAsync(HttpMethod.Post, $"{path}/comments", token, new { comment = "" });

        Assert.Equal(200, patched.Status);
        Assert.Equal(("resolved", "truePositive", "clean", "soc@fabrikam.com"), (patched.Json.GetProperty("status").GetString(), patched.Json.GetProperty("classification").GetString(), patched.Json.GetProperty("determination").GetString(), patched.Json.GetProperty("assignedTo").GetString()));
        Assert.Equal((400, "BadRequest"), (badValue.Status, badValue.ErrorCode));
        Assert.Equal((400, "BadRequest"), (badField.Status, badField.ErrorCode));
        Assert.Equal((404, "NotFound"), (missing.Status, missing.ErrorCode));
        Assert.Equal(403, forbidden.Status);
        Assert.Equal(["first", "second"], comments.Json.GetProperty("value").EnumerateArray().Select(c => c.GetProperty("comment").GetString()));
        Assert.Equal(400, emptyComment.Status);

        await fixture.Control.ResetAsync(Ct);
        var restored = await fixture.SendAsync(HttpMethod.Get, path, token);
        Assert.Equal("active", restored.Json.GetProperty("status").GetString());
        Assert.Equal(0, restored.Json.GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task Unknown_routes_are_404_in_each_api_shape()
    {
        var token = await fixture.SecretTokenAsync("contoso");

        var graph = await fixture.SendAsync(HttpMethod.Get, "v1.0/security/nothingHere", token);
        var mde = await fixture.SendAsync(HttpMethod.Get, "api/nothingHere", token);

        Assert.Equal((404, "NotFound"), (graph.Status, graph.ErrorCode));
        Assert.True(graph.Json.GetProperty("error").TryGetProperty("innerError", out _));
        Assert.Equal((404, "ResourceNotFound"), (mde.Status, mde.ErrorCode));
        Assert.True(mde.Json.GetProperty("error").TryGetProperty("target", out _));
    }

    [Fact]
    public async Task Detection_rules_are_created_read_updated_and_deleted_in_the_current_schema()
    {
        var token = await fixture.SecretTokenAsync("contoso");
        var rule = new
        {
            id = "emulator-encoded-powershell",
            displayName = "Encoded PowerShell",
            status = "enabled",
            queryCondition = new { queryText = "DeviceProcessEvents | where ProcessCommandLine has '-enc'" },
            schedule = new { frequency = "PT1H" },
            detectionAction = new { alertTemplate = new { title = "Encoded PowerShell", severity = "medium" } },
        };

        var created = await fixture.SendAsync(HttpMethod.Post, "beta/security/rules/detectionRules", token, rule);
        var duplicate = await fixture.SendAsync(HttpMethod.Post, "beta/security/rules/detectionRules", token, rule);
        var patched = await fixture.SendAsync(HttpMethod.Patch, "beta/security/rules/detectionRules/emulator-encoded-powershell", token, new { status = "disabled", schedule = new { frequency = "P1D" } });
        var badFrequency = await fixture.SendAsync(HttpMethod.Patch, "beta/security/rules/detectionRules/emulator-encoded-powershell", token, new { schedule = new { frequency = "hourly" } });
        var noId = await fixture.SendAsync(HttpMethod.Post, "beta/security/rules/detectionRules", token, new { displayName = "x", status = "enabled", queryCondition = new { queryText = "DeviceInfo" }, schedule = new { frequency = "PT1H" } });
        var deleted = await fixture.SendAsync(HttpMethod.Delete, "beta/security/rules/detectionRules/emulator-encoded-powershell", token);
        var gone = await fixture.SendAsync(HttpMethod.Get, "beta/security/rules/detectionRules/emulator-encoded-powershell", token);

        Assert.Equal(201, created.Status);
        Assert.Equal("emulator-encoded-powershell", created.Json.GetProperty("id").GetString());
        Assert.EndsWith("/beta/security/rules/detectionRules/emulator-encoded-powershell", created.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal((409, "Conflict"), (duplicate.Status, duplicate.ErrorCode));
        Assert.Equal("disabled", patched.Json.GetProperty("status").GetString());
        Assert.Equal("P1D", patched.Json.GetProperty("schedule").GetProperty("frequency").GetString());
        Assert.Equal(400, badFrequency.Status);
        Assert.Equal(400, noId.Status);
        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task Indicators_are_validated_limited_per_batch_and_deleted()
    {
        var token = await fixture.SecretTokenAsync("contoso", "https://api.securitycenter.microsoft.com/.default");
        object Indicator(string type, string value) => new { indicatorValue = value, indicatorType = type, action = "Block", title = "t", description = "d", severity = "High" };

        var file = await fixture.SendAsync(HttpMethod.Post, "api/indicators", token, Indicator("FileSha1", DataGenerator.PayloadSha1));
        var badHash = await fixture.SendAsync(HttpMethod.Post, "api/indicators", token, Indicator("FileSha256", "abc"));
        var badIp = await fixture.SendAsync(HttpMethod.Post, "api/indicators", token, Indicator("IpAddress", "999.1.1.1"));
        var badDomain = await fixture.SendAsync(HttpMethod.Post, "api/indicators", token, Indicator("DomainName", "not a domain"));
        var tooMany = await fixture.SendAsync(HttpMethod.Post, "api/indicators/import", token, new { Indicators = Enumerable.Range(0, 501).Select(i => Indicator("IpAddress", $"10.0.{i / 250}.{i % 250}")).ToArray() });
        var imported = await fixture.SendAsync(HttpMethod.Post, "api/indicators/import", token, new { Indicators = new[] { Indicator("Url", "https://evil.example/x"), Indicator("IpAddress", "nope") } });
        var list = await fixture.SendAsync(HttpMethod.Get, "api/indicators", token);
        var id = file.Json.GetProperty("id").GetString();
        var deleted = await fixture.SendAsync(HttpMethod.Delete, $"api/indicators/{id}", token);
        var deletedAgain = await fixture.SendAsync(HttpMethod.Delete, $"api/indicators/{id}", token);

        Assert.Equal(200, file.Status);
        Assert.Equal("InvalidHashValue", badHash.ErrorCode);
        Assert.Equal("InvalidIpAddress", badIp.ErrorCode);
        Assert.Equal("InvalidDomainName", badDomain.ErrorCode);
        Assert.Equal((400, "MaximumBatchSizeExceeded"), (tooMany.Status, tooMany.ErrorCode));
        Assert.Equal([false, true], imported.Json.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("isFailed").GetBoolean()));
        Assert.Equal(2, list.Json.GetProperty("value").GetArrayLength());
        Assert.Equal((204, 404), (deleted.Status, deletedAgain.Status));
    }

    [Fact]
    public async Task Table_size_knob_resizes_one_table_and_reset_restores_it()
    {
        var token = await fixture.SecretTokenAsync("fabrikam");
        async Task<long> Count(string table) => (await fixture.HuntAsync($"{table} | count", token)).Body.GetProperty("results")[0].GetProperty("Count").GetInt64();
        var before = await Count("DeviceNetworkEvents");
        var logons = await Count("DeviceLogonEvents");

        await fixture.Control.SetTableRowCountAsync("fabrikam", "DeviceNetworkEvents", 50, Ct);
        var resized = await Count("DeviceNetworkEvents");
        var untouched = await Count("DeviceLogonEvents");
        await fixture.Control.ResetAsync(Ct);

        Assert.InRange(resized, 50, 60);
        Assert.Equal(logons, untouched);
        Assert.Equal(before, await Count("DeviceNetworkEvents"));
        await Assert.ThrowsAsync<HttpRequestException>(() => fixture.Control.SetTableRowCountAsync("fabrikam", "NoSuchTable", 5, Ct));
    }
}
