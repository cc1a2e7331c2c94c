using System.Diagnostics;
using System.Text.Json;
using DefenderMcp.Emulator;

namespace DefenderMcp.E2E;

/// <summary>
/// The built server as separate processes on one state folder (DEFENDER_MCP_STATE_DIR), configured from the
/// environment like a real deployment against an in-process emulator: what one process promised holds for the next.
/// </summary>
public sealed class StateFolderProcessTests : IAsyncLifetime
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "defender-mcp-e2e-state-" + Guid.NewGuid().ToString("N"));
    private DefenderEmulator? _emulator;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DefenderEmulator Emulator => _emulator!;

    public async ValueTask InitializeAsync() => _emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), Ct);

    public async ValueTask DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Fact]
    public async Task The_hourly_action_budget_holds_across_processes_on_one_state_folder()
    {
        var first = await CallAsync("add_indicator", Indicator("10.20.30.1"));
        var second = await CallAsync("add_indicator", Indicator("10.20.30.2"));

        using var control = Emulator.CreateControlClient();
        var sent = (await control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST" && r.Path.EndsWith("/indicators", StringComparison.Ordinal));
        Assert.True(first.Code == 0, first.Stdout + first.Stderr);
        Assert.Equal(1, second.Code);
        var error = JsonDocument.Parse(second.Stdout).RootElement.GetProperty("error");
        Assert.Equal("policy_denied", error.GetProperty("code").GetString());
        Assert.Contains("hourly action budget", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, sent);
    }

    private static string[] Indicator(string ip) =>
        ["--arg", "indicator_type=IpAddress", "--arg", "value=" + ip, "--arg", "action=Audit", "--arg", "generate_alert=true", "--arg", "title=e2e", "--arg", "description=e2e"];

    private Task<(int Code, string Stdout, string Stderr)> CallAsync(string tool, string[] args)
    {
        var info = ServerProcess.StartInfo(["call", tool, .. args]);
        Configure(info);
        return ServerProcess.RunAsync(info, Ct);
    }

    private void Configure(ProcessStartInfo info)
    {
        var tenant = Emulator.Tenants.First();
        info.Environment["AZURE_TENANT_ID"] = tenant.TenantId;
        info.Environment["AZURE_CLIENT_ID"] = tenant.App.ClientId;
        info.Environment["AZURE_CERT_PATH"] = tenant.App.CertificatePfxPath;
        info.Environment["AZURE_CERT_PASSPHRASE"] = tenant.App.CertificatePassphrase;
        info.Environment["AZURE_AUTHORITY_HOST"] = Emulator.BaseUri.ToString();
        info.Environment["GRAPH_API_BASE"] = Emulator.BaseUri.ToString();
        info.Environment["DEFENDER_API_BASE"] = Emulator.BaseUri.ToString();
        info.Environment["DEFENDER_TLS_TRUST_CERT"] = Emulator.CertificatePemPath;
        info.Environment["DEFENDER_ACTIONS"] = "respond";
        info.Environment["DEFENDER_CONFIRMATION"] = "none";
        info.Environment["DEFENDER_MAX_ACTIONS_PER_HOUR"] = "1";
        info.Environment["DEFENDER_MCP_WARMUP"] = "off";
        info.Environment["DEFENDER_MCP_STATE_DIR"] = _state;
    }
}
