using System.Text.Json.Nodes;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// The environment of a team server over the fixture's emulator: both emulator tenants (contoso, fabrikam) at the
/// respond tier from a tenants file, the fixture's API keys, and a callers file that grants each key name its tenants
/// at the respond tier.
/// </summary>
public static class TeamServerEnvironment
{
    /// <summary>The environment; the tenants and callers files are written 0600 into <paramref name="folder"/>.</summary>
    public static async Task<Dictionary<string, string>> CreateAsync(HttpEmulatorFixture fixture, string folder, IReadOnlyDictionary<string, string[]> callerTenants, CancellationToken ct)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DEFENDER_API_BASE"] = fixture.Emulator.BaseUri.ToString(),
            ["GRAPH_API_BASE"] = fixture.Emulator.BaseUri.ToString(),
            ["AZURE_AUTHORITY_HOST"] = fixture.Emulator.BaseUri.ToString(),
            ["DEFENDER_TLS_TRUST_CERT"] = fixture.Emulator.CertificatePemPath,
            ["DEFENDER_MCP_API_KEYS_FILE"] = fixture.KeysFile,
        };
        var tenants = new JsonObject();
        foreach (var tenant in fixture.Emulator.Tenants)
        {
            tenants[tenant.Key] = new JsonObject
            {
                ["tenant_id"] = tenant.TenantId,
                ["client_id"] = tenant.App.ClientId,
                ["cert_path"] = tenant.App.CertificatePfxPath,
                ["cert_passphrase_env"] = $"E2E_{tenant.Key.ToUpperInvariant()}_PASSPHRASE",
                ["actions"] = "respond",
            };
            env[$"E2E_{tenant.Key.ToUpperInvariant()}_PASSPHRASE"] = tenant.App.CertificatePassphrase;
        }

        var callers = new JsonObject();
        foreach (var (name, keys) in callerTenants)
        {
            callers["key:" + name] = new JsonObject { ["tenants"] = new JsonArray([.. keys.Select(k => JsonValue.Create(k))]), ["actions"] = "respond" };
        }

        env["MCP_DEFENDER_XDR_TENANTS_FILE"] = await WritePrivateAsync(folder, "tenants.json", new JsonObject { ["default"] = "contoso", ["tenants"] = tenants }, ct);
        env["DEFENDER_MCP_CALLERS_FILE"] = await WritePrivateAsync(folder, "callers.json", new JsonObject { ["callers"] = callers }, ct);
        return env;
    }

    private static async Task<string> WritePrivateAsync(string folder, string name, JsonObject content, CancellationToken ct)
    {
        var path = Path.Combine(folder, name);
        await File.WriteAllTextAsync(path, content.ToJsonString(), ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }
}
