using System.Diagnostics;
using DefenderMcp.Emulator.Control;

namespace DefenderMcp.Emulator.Tests;

/// <summary>Fault injection over HTTPS. One emulator per class; each test scopes its faults by path so they do not meet.</summary>
public sealed class FaultTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_429_carries_retry_after_and_the_graph_or_mde_shape()
    {
        var graph = await fixture.SecretTokenAsync("contoso");
        var mde = await fixture.SecretTokenAsync("contoso", "https://api.securitycenter.microsoft.com/.default");
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 429, RetryAfterSeconds = 3, PathPattern = "^/v1.0/security/incidents/4302$" }, Ct);
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 429, RetryAfterSeconds = 5, PathPattern = "^/api/machines\\?\\$top=7$" }, Ct);

        var g = await fixture.SendAsync(HttpMethod.Get, "v1.0/security/incidents/4302", graph);
        var m = await fixture.SendAsync(HttpMethod.Get, "api/machines?$top=7", mde);
        var after = await fixture.SendAsync(HttpMethod.Get, "api/machines?$top=7", mde);

        Assert.Equal((429, "TooManyRequests", TimeSpan.FromSeconds(3)), (g.Status, g.ErrorCode, g.RetryAfter));
        Assert.True(g.Json.GetProperty("error").TryGetProperty("innerError", out _));
        Assert.Equal((429, "TooManyRequests", TimeSpan.FromSeconds(5)), (m.Status, m.ErrorCode, m.RetryAfter));
        Assert.True(m.Json.GetProperty("error").TryGetProperty("target", out _));
        Assert.Equal(200, after.Status);
        Assert.Equal(7, after.Json.GetProperty("value").GetArrayLength());
    }

    [Theory]
    [InlineData("DisabledFeature", "Tenant feature isn't enabled")]
    [InlineData("DisallowedOperation", "Offboarding is not allowed on this device")]
    public async Task A_403_can_carry_the_codes_that_are_not_a_missing_role(string code, string message)
    {
        var mde = await fixture.SecretTokenAsync("contoso", "https://api.securitycenter.microsoft.com/.default");
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 403, Code = code, Message = message, PathPattern = "^/api/machines\\?\\$top=3$" }, Ct);

        var refused = await fixture.SendAsync(HttpMethod.Get, "api/machines?$top=3", mde);

        Assert.Equal((403, code), (refused.Status, refused.ErrorCode));
        Assert.Equal(message, refused.Json.GetProperty("error").GetProperty("message").GetString());
        Assert.True(refused.Json.GetProperty("error").TryGetProperty("target", out _));
    }

    [Fact]
    public async Task Method_scoping_and_unlimited_count()
    {
        var token = await fixture.SecretTokenAsync("fabrikam");
        var id = await fixture.Control.AddFaultAsync(new FaultSpec { Status = 500, Count = 0, Method = "POST", PathPattern = "runHuntingQuery" }, Ct);

        var results = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            results.Add((await fixture.SendAsync(HttpMethod.Post, "v1.0/security/runHuntingQuery", token, new { Query = "DeviceInfo | take 1" })).Status);
        }

        var get = await fixture.SendAsync(HttpMethod.Get, "v1.0/security/runHuntingQuery", token);

        Assert.StartsWith("fault-", id, StringComparison.Ordinal);
        Assert.Equal([500, 500, 500], results);
        Assert.NotEqual(500, get.Status);
        await fixture.Control.ClearFaultsAsync(Ct);
        Assert.Equal(200, (await fixture.SendAsync(HttpMethod.Post, "v1.0/security/runHuntingQuery", token, new { Query = "DeviceInfo | take 1" })).Status);
    }

    [Fact]
    public async Task A_delay_with_no_status_is_pure_latency()
    {
        var token = await fixture.SecretTokenAsync("contoso");
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 400, PathPattern = "^/v1.0/security/alerts_v2\\?\\$top=2$" }, Ct);

        var watch = Stopwatch.StartNew();
        var slow = await fixture.SendAsync(HttpMethod.Get, "v1.0/security/alerts_v2?$top=2", token);
        var elapsed = watch.Elapsed;

        Assert.Equal(200, slow.Status);
        Assert.Equal(2, slow.Json.GetProperty("value").GetArrayLength());
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(380), $"took {elapsed}");
    }

    [Theory]
    [InlineData("malformed")]
    [InlineData("truncated")]
    public async Task Broken_bodies_are_not_json(string kind)
    {
        var token = await fixture.SecretTokenAsync("contoso");
        await fixture.Control.AddFaultAsync(new FaultSpec { Body = kind, PathPattern = $"^/v1.0/security/incidents\\?x={kind}$" }, Ct);

        var reply = await fixture.SendAsync(HttpMethod.Get, $"v1.0/security/incidents?x={kind}", token);

        Assert.Equal(200, reply.Status);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => reply.Json);
    }

    [Fact]
    public async Task A_rewriting_body_keeps_the_real_answer_status_and_envelope()
    {
        var token = await fixture.SecretTokenAsync("contoso");
        await fixture.Control.AddFaultAsync(new FaultSpec { Body = "confused", PathPattern = "^/v1.0/security/alerts_v2\\?\\$top=2&x=confused$" }, Ct);

        var reply = await fixture.SendAsync(HttpMethod.Get, "v1.0/security/alerts_v2?$top=2&x=confused", token);
        var after = await fixture.SendAsync(HttpMethod.Get, "v1.0/security/alerts_v2?$top=2&x=confused", token);

        Assert.Equal(200, reply.Status);
        var items = reply.Json.GetProperty("value");
        Assert.Equal(2, items.GetArrayLength());
        Assert.All(items.EnumerateArray(), a => Assert.Equal(System.Text.Json.JsonValueKind.Number, a.GetProperty("id").ValueKind));
        Assert.Equal(System.Text.Json.JsonValueKind.String, after.Json.GetProperty("value")[0].GetProperty("id").ValueKind);
    }

    [Fact]
    public async Task An_unknown_body_mode_is_refused_naming_every_valid_mode_and_each_of_them_is_accepted()
    {
        using var response = await fixture.Http.PostAsync("_emulator/faults", new StringContent("{\"body\":\"hostile\"}", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var error = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetString()!;
        var named = System.Text.RegularExpressions.Regex.Match(error, @"body ([a-z|-]+),").Groups[1].Value.Split('|');
        Assert.Equal(["null", "malformed", "truncated", "oversized", .. ShapeRewriter.Modes], named);
        Assert.Equal(named[1..], FaultSpec.BodyModes);

        // The list the message names is the list the check accepts (on a path no request takes).
        foreach (var mode in FaultSpec.BodyModes)
        {
            using var accepted = await fixture.Http.PostAsync("_emulator/faults", new StringContent($"{{\"body\":\"{mode}\",\"pathPattern\":\"^/no-such-route-body-modes$\"}}", System.Text.Encoding.UTF8, "application/json"), Ct);
            Assert.True(accepted.IsSuccessStatusCode, $"{mode} gave {(int)accepted.StatusCode}");
        }
    }

    [Fact]
    public async Task The_oversized_body_streams_chunked_with_no_length_past_the_clients_page_cap()
    {
        var mde = await fixture.SecretTokenAsync("contoso", "https://api.securitycenter.microsoft.com/.default");
        await fixture.Control.AddFaultAsync(new FaultSpec { Body = "oversized", PathPattern = "^/api/machines\\?\\$top=11$" }, Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/machines?$top=11");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", mde);

        using var response = await fixture.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        var start = new byte[1024 * 1024];
        await body.ReadExactlyAsync(start, Ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.StartsWith("{\"value\":[0,0,0,", System.Text.Encoding.ASCII.GetString(start, 0, 32), StringComparison.Ordinal);
        Assert.True(OversizedBody.Bytes > 32 * 1024 * 1024);
    }

    [Fact]
    public async Task Faults_on_the_token_endpoint_match_the_tenant_in_the_path()
    {
        var tenant = fixture.Emulator.GetTenant("fabrikam");
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 503, Tenant = tenant.TenantId, PathPattern = "/oauth2/v2.0/token$" }, Ct);
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = tenant.App.ClientId, ["client_secret"] = tenant.App.ClientSecret, ["scope"] = "https://graph.microsoft.com/.default" };

        var contoso = await fixture.SecretTokenAsync("contoso");
        var (failed, _) = await fixture.TokenAsync("fabrikam.com", form);
        var (retried, _) = await fixture.TokenAsync("fabrikam.com", form);

        Assert.NotEmpty(contoso);
        Assert.Equal((503, 200), (failed, retried));
        var log = await fixture.Control.GetRequestsAsync(Ct);
        Assert.Contains(log, r => r.Path == "/fabrikam.com/oauth2/v2.0/token" && r.Status == 503 && r.Tenant == "fabrikam");
        Assert.Contains(log, r => r.Path == "/fabrikam.com/oauth2/v2.0/token" && r.Status == 200 && r.AppId == tenant.App.ClientId);
    }

    [Fact]
    public async Task An_after_effect_fault_acts_then_fails()
    {
        var token = await fixture.SecretTokenAsync("contoso", "https://api.securitycenter.microsoft.com/.default");
        var machine = "ctso-sales-lt-032.contoso.com";
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 503, AfterEffect = true, Method = "POST", PathPattern = "/runAntiVirusScan$" }, Ct);

        var first = await fixture.SendAsync(HttpMethod.Post, $"api/machines/{machine}/runAntiVirusScan", token, new { Comment = "scan", ScanType = "Quick" });
        var actions = await fixture.SendAsync(HttpMethod.Get, "api/machineactions?$filter=type eq 'RunAntiVirusScan'", token);
        var again = await fixture.SendAsync(HttpMethod.Post, $"api/machines/{machine}/runAntiVirusScan", token, new { Comment = "scan", ScanType = "Quick" });

        Assert.Equal(503, first.Status);
        Assert.Equal("ServiceUnavailable", first.ErrorCode);
        Assert.Contains(actions.Json.GetProperty("value").EnumerateArray(), a => a.GetProperty("computerDnsName").GetString() == machine);
        Assert.Equal(400, again.Status);
        Assert.Equal("Action is already in progress", again.Json.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Bad_fault_specs_are_refused()
    {
        using var http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetRawCertData().AsSpan().SequenceEqual(fixture.Emulator.TlsCertificate.RawData) } }) { BaseAddress = fixture.Emulator.BaseUri };

        foreach (var body in new[] { "{", "[]", "{\"status\":700}", "{\"status\":500,\"body\":\"weird\"}", "{\"status\":500,\"pathPattern\":\"(\"}", "{\"count\":-1}" })
        {
            using var response = await http.PostAsync("_emulator/faults", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
            Assert.True((int)response.StatusCode == 400, $"{body} gave {(int)response.StatusCode}");
        }
    }
}
