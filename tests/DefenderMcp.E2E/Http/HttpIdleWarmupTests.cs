using DefenderMcp.Emulator;

namespace DefenderMcp.E2E.Http;

/// <summary>Over HTTP the idle-time warm-up runs once the host has started, before any caller, and sends nothing upstream.</summary>
public sealed class HttpIdleWarmupTests
{
    [Fact]
    public async Task The_warm_up_runs_once_the_host_listens_without_a_request_to_the_emulator_or_an_audit_line()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), ct);
        using var control = emulator.CreateControlClient();
        var tenant = emulator.GetTenant("contoso");
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AZURE_TENANT_ID"] = tenant.TenantId,
            ["AZURE_CLIENT_ID"] = tenant.App.ClientId,
            ["AZURE_CERT_PATH"] = tenant.App.CertificatePfxPath,
            ["AZURE_CERT_PASSPHRASE"] = tenant.App.CertificatePassphrase,
            ["DEFENDER_API_BASE"] = emulator.BaseUri.ToString(),
            ["GRAPH_API_BASE"] = emulator.BaseUri.ToString(),
            ["AZURE_AUTHORITY_HOST"] = emulator.BaseUri.ToString(),
            ["DEFENDER_TLS_TRUST_CERT"] = emulator.CertificatePemPath,
            ["MCP_DEFENDER_XDR_LOG_LEVEL"] = "debug",
        };
        await using var server = await HttpServerHost.StartAsync(env, ct, "--allow-anonymous-loopback");

        // No MCP request is sent: the host's start alone starts the warm-up. Bounded wait for its line.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(TimeSpan.FromSeconds(60));
        string? done = null;
        while (done is null)
        {
            done = server.Stderr.FirstOrDefault(l => l.Contains("warm-up done in ", StringComparison.Ordinal));
            await Task.Delay(50, bound.Token);
        }

        Assert.Contains("a token with a secret and with a certificate, the trusted roots, an in-memory HTTPS exchange", done, StringComparison.Ordinal);
        Assert.Empty(await control.GetRequestsAsync(ct));
        Assert.All(server.AuditLines(), line => Assert.Equal("server_start", line.GetProperty("event").GetString()));
        Assert.Single(server.Stderr, l => l.Contains("warm-up", StringComparison.Ordinal));
    }
}
