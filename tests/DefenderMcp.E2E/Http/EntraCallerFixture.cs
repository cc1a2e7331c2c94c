using System.Text.Json.Nodes;
using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Emulator.Security;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// A server process for a team: two Defender tenants (contoso and fabrikam, both at the respond tier) from a tenants
/// file, Entra ID callers from the emulator's contoso directory, and a callers file that gives the role
/// <c>Defender.Read</c> every tenant read-only, the role <c>Defender.Respond</c> every tenant up to respond, one
/// analyst (by oid) contoso only, up to respond, and the API key
/// <c>ci-bot</c> (made with the real <c>keys add</c>) fabrikam only, read-only.
/// </summary>
public sealed class EntraCallerFixture : IAsyncLifetime
{
    public const string Audience = "api://defender-mcp-e2e";
    public const string ReaderRole = "Defender.Read";
    public const string ResponderRole = "Defender.Respond";
    public const string ContosoAnalyst = "Casey Contoso";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "defender-mcp-entra-e2e-" + Guid.NewGuid().ToString("N"));

    public DefenderEmulator Emulator { get; private set; } = null!;

    public EmulatorControlClient Control { get; private set; } = null!;

    public HttpServerHost Server { get; private set; } = null!;

    /// <summary>An API key named ci-bot, which the callers file limits to reading fabrikam.</summary>
    public string CiBotKey { get; private set; } = null!;

    /// <summary>The callers' tenant (the team's directory): the emulator's contoso.</summary>
    public EmulatedTenant Directory => Emulator.GetTenant("contoso");

    public string Authority => $"{Emulator.BaseUri}{Directory.TenantId}/v2.0";

    public string ContosoAnalystOid => CallerIdentityProvider.OidFor(Directory.TenantId, ContosoAnalyst);

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        System.IO.Directory.CreateDirectory(_folder);
        Emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), ct);
        Control = Emulator.CreateControlClient();

        var tenants = new JsonObject();
        foreach (var tenant in Emulator.Tenants)
        {
            tenants[tenant.Key] = new JsonObject
            {
                ["tenant_id"] = tenant.TenantId,
                ["client_id"] = tenant.App.ClientId,
                ["cert_path"] = tenant.App.CertificatePfxPath,
                ["cert_passphrase_env"] = $"E2E_{tenant.Key.ToUpperInvariant()}_PASSPHRASE",
                ["actions"] = "respond",
                ["confirmation"] = "token",
            };
        }

        var keysFile = Path.Combine(_folder, "api-keys.json");
        var (code, stdout, stderr) = await HttpEmulatorFixture.RunCliAsync(ct, "keys", "add", "ci-bot", "--file", keysFile);
        Assert.True(code == 0, $"keys add exited {code}: {stderr}");
        CiBotKey = stdout.Trim();

        var tenantsFile = WritePrivate("tenants.json", new JsonObject { ["default"] = "contoso", ["tenants"] = tenants });
        var callersFile = WritePrivate("callers.json", new JsonObject
        {
            ["callers"] = new JsonObject
            {
                [$"role:{ReaderRole}"] = new JsonObject { ["tenants"] = "*", ["actions"] = "read" },
                [$"role:{ResponderRole}"] = new JsonObject { ["tenants"] = "*", ["actions"] = "respond" },
                [$"oid:{ContosoAnalystOid}"] = new JsonObject { ["tenants"] = new JsonArray("contoso"), ["actions"] = "respond" },
                ["key:ci-bot"] = new JsonObject { ["tenants"] = new JsonArray("fabrikam"), ["actions"] = "read" },
            },
        });

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MCP_DEFENDER_XDR_TENANTS_FILE"] = tenantsFile,
            ["DEFENDER_API_BASE"] = Emulator.BaseUri.ToString(),
            ["GRAPH_API_BASE"] = Emulator.BaseUri.ToString(),
            ["AZURE_AUTHORITY_HOST"] = Emulator.BaseUri.ToString(),
            ["DEFENDER_TLS_TRUST_CERT"] = Emulator.CertificatePemPath,
            ["DEFENDER_MCP_ENTRA_TENANT_ID"] = Directory.TenantId,
            ["DEFENDER_MCP_ENTRA_AUDIENCE"] = Audience,
            ["DEFENDER_MCP_ENTRA_AUTHORITY"] = Authority,
            ["DEFENDER_MCP_ENTRA_TLS_TRUST_CERT"] = Emulator.CertificatePemPath,
            ["DEFENDER_MCP_CALLERS_FILE"] = callersFile,
            ["DEFENDER_MCP_API_KEYS_FILE"] = keysFile,
            ["DEFENDER_MCP_ENTRA_KEY_REFRESH_SECONDS"] = "1",

            // The most verbose logs (the JWT handler's own included), so "no token in stderr" covers all of them.
            ["MCP_DEFENDER_XDR_LOG_LEVEL"] = "Trace",

            // Raw initialize requests open sessions that stay open: room for all of them under one caller.
            ["DEFENDER_MCP_HTTP_MAX_SESSIONS_PER_CALLER"] = "1000",
        };
        foreach (var tenant in Emulator.Tenants)
        {
            environment[$"E2E_{tenant.Key.ToUpperInvariant()}_PASSPHRASE"] = tenant.App.CertificatePassphrase;
        }

        Server = await HttpServerHost.StartAsync(environment, ct);
    }

    /// <summary>A token of the callers' directory for the server's audience, as <paramref name="shape"/> changes it.</summary>
    public async Task<string> TokenAsync(Func<CallerTokenRequest, CallerTokenRequest>? shape = null)
    {
        var request = new CallerTokenRequest { Tenant = Directory.Key, Audience = Audience };
        var minted = await Control.MintCallerTokenAsync(shape?.Invoke(request) ?? request, TestContext.Current.CancellationToken);
        return minted.Token;
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        Control?.Dispose();
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private string WritePrivate(string name, JsonObject content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content.ToJsonString());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }
}
