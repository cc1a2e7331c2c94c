using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Control;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// An emulator in the test process, the environment that points a server process at its contoso tenant (respond tier,
/// elicitation), and an API keys file made with the real <c>defender-mcp keys add</c> command.
/// </summary>
public sealed class HttpEmulatorFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "defender-mcp-e2e-" + Guid.NewGuid().ToString("N"));

    private readonly SemaphoreSlim _serverGate = new(1, 1);
    private HttpServerHost? _server;

    public DefenderEmulator Emulator { get; private set; } = null!;

    public EmulatorControlClient Control { get; private set; } = null!;

    public string KeysFile => Path.Combine(_folder, "api-keys.json");

    /// <summary>Keys by caller name (alice, bob, burst, sessions, capped-probe).</summary>
    public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>The server environment for the emulator's first tenant, with the keys file.</summary>
    public Dictionary<string, string> Environment(params (string Name, string Value)[] extra)
    {
        var tenant = Emulator.Tenants[0];
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AZURE_TENANT_ID"] = tenant.TenantId,
            ["AZURE_CLIENT_ID"] = tenant.App.ClientId,
            ["AZURE_CERT_PATH"] = tenant.App.CertificatePfxPath,
            ["AZURE_CERT_PASSPHRASE"] = tenant.App.CertificatePassphrase,
            ["DEFENDER_API_BASE"] = Emulator.BaseUri.ToString(),
            ["GRAPH_API_BASE"] = Emulator.BaseUri.ToString(),
            ["AZURE_AUTHORITY_HOST"] = Emulator.BaseUri.ToString(),
            ["DEFENDER_TLS_TRUST_CERT"] = Emulator.CertificatePemPath,
            ["DEFENDER_ACTIONS"] = "respond",
            ["DEFENDER_CONFIRMATION"] = "elicitation",
            ["DEFENDER_MCP_API_KEYS_FILE"] = KeysFile,
        };
        foreach (var (name, value) in extra)
        {
            env[name] = value;
        }

        return env;
    }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(_folder);
        Emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), ct);
        Control = Emulator.CreateControlClient();
        foreach (var name in new[] { "alice", "bob", "burst", "sessions", "capped-probe", "failed-init" })
        {
            Keys[name] = await AddKeyAsync(name, ct);
        }
    }

    /// <summary>Runs <c>defender-mcp keys add NAME --file KeysFile</c> and returns the key it printed.</summary>
    public async Task<string> AddKeyAsync(string name, CancellationToken ct)
    {
        var (code, stdout, stderr) = await RunCliAsync(ct, "keys", "add", name, "--file", KeysFile);
        Assert.True(code == 0, $"keys add {name} exited {code}: {stderr}");
        var key = stdout.Trim();
        Assert.StartsWith("dmcp_", key, StringComparison.Ordinal);
        return key;
    }

    /// <summary>One server process for the whole class, started on first use with <paramref name="environment"/>.</summary>
    public async Task<HttpServerHost> SharedServerAsync(IReadOnlyDictionary<string, string> environment)
    {
        await _serverGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return _server ??= await HttpServerHost.StartAsync(environment, TestContext.Current.CancellationToken);
        }
        finally
        {
            _serverGate.Release();
        }
    }

    /// <summary>Runs the CLI to exit.</summary>
    public static Task<(int Code, string Stdout, string Stderr)> RunCliAsync(CancellationToken ct, params string[] args) =>
        ServerProcess.RunAsync(ServerProcess.StartInfo(args), ct, TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Control.Dispose();
        await Emulator.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
