using System.Text.Json;
using DefenderMcp.Client;
using DefenderMcp.Configuration;

namespace DefenderMcp.Tests.Configuration;

/// <summary>
/// The credential rules are written once (TenantReader) and must read the same from both sources: each case runs
/// against the environment and against the tenants file. These pin the drifts the architecture review found.
/// </summary>
public sealed class CredentialRulesTests : IDisposable
{
    private const string TenantGuid = "11111111-2222-3333-4444-555555555555";
    private const string ClientGuid = "66666666-7777-8888-9999-000000000000";
    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-credentials-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ServerSettings Load(Dictionary<string, string> env) =>
        new ConfigurationLoader(new EnvironmentSource(name => env.GetValueOrDefault(name), new Dictionary<string, string>())).Load();

    private static IReadOnlyList<string> Problems(Dictionary<string, string> env) =>
        Assert.Throws<ConfigurationException>(() => Load(env)).Problems;

    private string PrivateFile(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    /// <summary>The env of a tenants file holding the single tenant "a" with <paramref name="tenant"/>'s fields.</summary>
    private Dictionary<string, string> FileEnv(Dictionary<string, object> tenant, Dictionary<string, string>? more = null) => new(more ?? [])
    {
        ["MCP_DEFENDER_XDR_TENANTS_FILE"] = PrivateFile("tenants.json", JsonSerializer.Serialize(new { @default = "a", tenants = new { a = tenant } })),
    };

    [Fact]
    public void Workload_identity_token_file_must_exist_from_the_environment()
    {
        var problems = Problems(new()
        {
            ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["DEFENDER_AUTH"] = "workload_identity",
            ["AZURE_FEDERATED_TOKEN_FILE"] = Path.Combine(_dir, "absent-token"),
        });

        Assert.Equal(["AZURE_FEDERATED_TOKEN_FILE: file not found"], problems);
    }

    [Fact]
    public void Workload_identity_token_file_must_exist_in_the_tenants_file()
    {
        var absent = Path.Combine(_dir, "absent-token");
        var problems = Problems(FileEnv(new() { ["tenant_id"] = TenantGuid, ["client_id"] = ClientGuid, ["auth"] = "workload_identity", ["federated_token_file"] = absent }));

        Assert.Equal(["tenants.a.federated_token_file: file not found"], problems);
    }

    [Fact]
    public void Workload_identity_in_the_tenants_file_falls_back_to_the_environment_token_file_and_checks_it_once()
    {
        var file = PrivateFile("tenants.json", $$"""
            {"default": "a", "tenants": {
              "a": {"tenant_id": "{{TenantGuid}}", "client_id": "{{ClientGuid}}", "auth": "workload_identity"},
              "b": {"tenant_id": "{{TenantGuid}}", "client_id": "{{ClientGuid}}", "auth": "workload_identity"} } }
            """);

        var problems = Problems(new() { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = file, ["AZURE_FEDERATED_TOKEN_FILE"] = Path.Combine(_dir, "absent-token") });

        Assert.Equal(["AZURE_FEDERATED_TOKEN_FILE: file not found"], problems);
    }

    [Fact]
    public void Workload_identity_loads_with_an_existing_token_file_on_both_paths()
    {
        var token = PrivateFile("token", "eyJ...");

        var fromEnv = Load(new() { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["DEFENDER_AUTH"] = "workload_identity", ["AZURE_FEDERATED_TOKEN_FILE"] = token });
        var fromFile = Load(FileEnv(new() { ["tenant_id"] = TenantGuid, ["client_id"] = ClientGuid, ["auth"] = "workload_identity", ["federated_token_file"] = token }));

        Assert.Equal(token, Assert.IsType<WorkloadIdentityCredentialSpec>(fromEnv.Tenants[0].Connection.Credential).TokenFilePath);
        Assert.Equal(token, Assert.IsType<WorkloadIdentityCredentialSpec>(fromFile.Tenants[0].Connection.Credential).TokenFilePath);
    }

    [Fact]
    public void Workload_identity_without_any_token_file_is_named_on_both_paths()
    {
        var fromEnv = Problems(new() { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["DEFENDER_AUTH"] = "workload_identity" });
        var fromFile = Problems(FileEnv(new() { ["tenant_id"] = TenantGuid, ["client_id"] = ClientGuid, ["auth"] = "workload_identity" }));

        Assert.StartsWith("AZURE_FEDERATED_TOKEN_FILE: missing", Assert.Single(fromEnv), StringComparison.Ordinal);
        Assert.StartsWith("tenants.a.federated_token_file: missing", Assert.Single(fromFile), StringComparison.Ordinal);
    }

    // Issue 10 changed this on purpose: Key Vault certificates were refused on both paths; now both read them.
    [Fact]
    public void Key_vault_certificate_is_read_from_the_environment_and_from_the_tenants_file_alike()
    {
        var uri = "https://contoso.vault.azure.net/secrets/defender-cert/0123456789abcdef0123456789abcdef";
        var fromEnv = Load(new() { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CERT_KEY_VAULT_SECRET"] = uri });
        var fromFile = Load(FileEnv(new() { ["tenant_id"] = TenantGuid, ["client_id"] = ClientGuid, ["cert_key_vault_secret"] = uri }));

        foreach (var settings in new[] { fromEnv, fromFile })
        {
            var credential = Assert.IsType<KeyVaultCertificateCredentialSpec>(Assert.Single(settings.Tenants).Connection.Credential);
            Assert.Equal(uri, credential.Uri.AbsoluteUri);
            Assert.Null(credential.WorkloadTokenFile);
        }
    }

    [Theory]
    [InlineData("not a uri")]
    [InlineData("http://contoso.vault.azure.net/secrets/c")]
    [InlineData("https://contoso.vault.azure.net/keys/c")]
    [InlineData("https://contoso.vault.azure.net/secrets/")]
    public void A_key_vault_setting_that_is_not_a_secret_or_certificate_uri_is_one_clear_line_on_both_paths(string value)
    {
        var fromEnv = Problems(new() { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CERT_KEY_VAULT_SECRET"] = value });
        var fromFile = Problems(FileEnv(new() { ["tenant_id"] = TenantGuid, ["client_id"] = ClientGuid, ["cert_key_vault_secret"] = value }));

        Assert.StartsWith("AZURE_CERT_KEY_VAULT_SECRET: ", Assert.Single(fromEnv), StringComparison.Ordinal);
        Assert.StartsWith("tenants.a.cert_key_vault_secret: ", Assert.Single(fromFile), StringComparison.Ordinal);
        Assert.Contains("/secrets/{name}", fromEnv[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Key_vault_certificate_beside_another_credential_is_refused_rather_than_guessed()
    {
        var problems = Problems(new()
        {
            ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CLIENT_SECRET"] = "x",
            ["AZURE_CERT_KEY_VAULT_SECRET"] = "https://contoso.vault.azure.net/secrets/defender-cert",
        });

        Assert.StartsWith("AZURE_CERT_KEY_VAULT_SECRET: give one credential", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_cli_auth_needs_no_client_id_and_warns_that_it_is_for_development()
    {
        var settings = Load(new() { ["AZURE_TENANT_ID"] = TenantGuid, ["DEFENDER_AUTH"] = "azure_cli" });

        Assert.IsType<AzureCliCredentialSpec>(Assert.Single(settings.Tenants).Connection.Credential);
        Assert.Contains(settings.Warnings, w => w.StartsWith("DEFENDER_AUTH: azure_cli", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("certificate")]
    [InlineData("secret")]
    [InlineData("workload_identity")]
    public void Client_id_is_required_unless_managed_identity_with_the_same_words_on_both_paths(string? auth)
    {
        var token = PrivateFile("token", "eyJ...");
        var cert = PrivateFile("app.pem", "x");
        var env = new Dictionary<string, string>
        {
            ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CERT_PATH"] = cert, ["AZURE_CLIENT_SECRET"] = "x", ["AZURE_FEDERATED_TOKEN_FILE"] = token,
        };
        if (auth is not null)
        {
            env["DEFENDER_AUTH"] = auth;
        }

        var tenant = new Dictionary<string, object> { ["tenant_id"] = TenantGuid, ["cert_path"] = cert, ["client_secret_env"] = "S", ["federated_token_file"] = token };
        if (auth is not null)
        {
            tenant["auth"] = auth;
        }

        var file = FileEnv(tenant, new() { ["S"] = "x" });

        Assert.Equal(["AZURE_CLIENT_ID: missing; the app's client id, required unless DEFENDER_AUTH is managed_identity"], Problems(env));
        Assert.Equal(["tenants.a.client_id: missing; the app's client id, required unless tenants.a.auth is managed_identity"], Problems(file));
    }

    [Fact]
    public void Managed_identity_needs_no_client_id_on_either_path()
    {
        var fromEnv = Load(new() { ["AZURE_TENANT_ID"] = TenantGuid, ["DEFENDER_AUTH"] = "managed_identity" });
        var fromFile = Load(FileEnv(new() { ["tenant_id"] = TenantGuid, ["auth"] = "managed_identity" }));

        Assert.Null(Assert.IsType<ManagedIdentityCredentialSpec>(fromEnv.Tenants[0].Connection.Credential).ClientId);
        Assert.Null(Assert.IsType<ManagedIdentityCredentialSpec>(fromFile.Tenants[0].Connection.Credential).ClientId);
        Assert.Equal(string.Empty, fromFile.Tenants[0].Connection.ClientId);
    }

    [Fact]
    public void A_client_secret_is_accepted_with_the_same_warning_on_both_paths()
    {
        var fromEnv = Load(new() { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CLIENT_SECRET"] = "s3cr3t" });
        var fromFile = Load(FileEnv(new() { ["tenant_id"] = TenantGuid, ["client_id"] = ClientGuid, ["client_secret_env"] = "S" }, new() { ["S"] = "s3cr3t" }));

        Assert.Equal(["AZURE_CLIENT_SECRET: a client secret is weaker than a certificate; prefer AZURE_CERT_PATH"], fromEnv.Warnings);
        Assert.Equal(["tenants.a.client_secret_env: a client secret is weaker than a certificate; prefer tenants.a.cert_path"], fromFile.Warnings);
    }

    [Fact]
    public void An_inline_client_secret_in_the_tenants_file_is_refused_without_echoing_it()
    {
        var problems = Problems(FileEnv(new() { ["tenant_id"] = TenantGuid, ["client_id"] = ClientGuid, ["client_secret"] = "inline-s3cr3t" }));

        var problem = Assert.Single(problems);
        Assert.StartsWith("tenants.a.client_secret: secrets are not read from the tenants file", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("inline-s3cr3t", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void No_credential_at_all_names_every_choice_on_both_paths()
    {
        var fromEnv = Assert.Single(Problems(new() { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid }));
        var fromFile = Assert.Single(Problems(FileEnv(new() { ["tenant_id"] = TenantGuid, ["client_id"] = ClientGuid })));

        Assert.Equal("AZURE_CERT_PATH: missing; give a certificate (AZURE_CERT_PATH) or a client secret (AZURE_CLIENT_SECRET), or set DEFENDER_AUTH to managed_identity or workload_identity", fromEnv);
        Assert.Equal("tenants.a.cert_path: missing; give a certificate (tenants.a.cert_path) or a client secret (tenants.a.client_secret_env), or set tenants.a.auth to managed_identity or workload_identity", fromFile);
    }

    [Fact]
    public void A_tenant_that_names_the_commercial_cloud_keeps_it_over_the_server_wide_cloud()
    {
        var file = PrivateFile("tenants.json", $$"""
            {"default": "a", "tenants": {
              "a": {"tenant_id": "{{TenantGuid}}", "client_id": "{{ClientGuid}}", "client_secret_env": "S", "cloud": "Commercial"},
              "b": {"tenant_id": "{{TenantGuid}}", "client_id": "{{ClientGuid}}", "client_secret_env": "S"} } }
            """);

        var settings = Load(new() { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = file, ["S"] = "x", ["DEFENDER_CLOUD"] = "GCCHigh" });

        Assert.Equal(new Uri("https://graph.microsoft.com/"), settings.Tenants[0].Connection.Endpoints.GraphRoot);
        Assert.Equal(new Uri("https://graph.microsoft.us/"), settings.Tenants[1].Connection.Endpoints.GraphRoot);
    }

    [Fact]
    public void Policy_reads_the_same_from_both_paths()
    {
        var fromEnv = Load(new()
        {
            ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CLIENT_SECRET"] = "x",
            ["DEFENDER_ACTIONS"] = "respond", ["DEFENDER_CONFIRMATION"] = "none", ["DEFENDER_PROTECTED_DEVICES"] = "dc-*,tag:Crown",
            ["DEFENDER_MAX_ACTIONS_PER_HOUR"] = "7", ["DEFENDER_ALLOW_OFFBOARD"] = "yes",
            ["DEFENDER_PROTECTED_USERS"] = "breakglass*@contoso.com, 6f1c2b9e-0d1a-4b7e-9c3f-2a5d8e7b1c40",
        });
        var fromFile = Load(FileEnv(new() { ["tenant_id"] = TenantGuid, ["client_id"] = ClientGuid, ["client_secret_env"] = "S", ["actions"] = "respond", ["confirmation"] = "none", ["protected_devices"] = new[] { "dc-*", "tag:Crown" }, ["protected_users"] = new[] { "breakglass*@contoso.com", "6F1C2B9E-0D1A-4B7E-9C3F-2A5D8E7B1C40" }, ["max_actions_per_hour"] = 7, ["allow_offboard"] = true },
            new() { ["S"] = "x" }));

        Assert.Equal(fromEnv.Tenants[0].Policy.ProtectedDevices, fromFile.Tenants[0].Policy.ProtectedDevices);
        Assert.Equal(["breakglass*@contoso.com", "6f1c2b9e-0d1a-4b7e-9c3f-2a5d8e7b1c40"], fromEnv.Tenants[0].Policy.ProtectedUsers);
        Assert.Equal(fromEnv.Tenants[0].Policy.ProtectedUsers, fromFile.Tenants[0].Policy.ProtectedUsers);
        Assert.Equal(fromEnv.Tenants[0].Policy with { ProtectedDevices = [], ProtectedUsers = [] }, fromFile.Tenants[0].Policy with { ProtectedDevices = [], ProtectedUsers = [] });
        Assert.Equal((ActionTier.Respond, ConfirmationMode.None, 7, true), (fromFile.Tenants[0].Policy.Actions, fromFile.Tenants[0].Policy.Confirmation, fromFile.Tenants[0].Policy.MaxActionsPerHour, fromFile.Tenants[0].Policy.AllowOffboard));
    }

    [Fact]
    public void A_protected_user_entry_that_is_neither_an_id_nor_a_upn_glob_is_named_on_both_paths()
    {
        var fromEnv = Problems(new() { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CLIENT_SECRET"] = "x", ["DEFENDER_PROTECTED_USERS"] = "admin@contoso.com,CN=Admins/x" });
        var fromFile = Problems(FileEnv(new() { ["tenant_id"] = TenantGuid, ["client_id"] = ClientGuid, ["client_secret_env"] = "S", ["protected_users"] = new[] { "admin@contoso.com", "" } }, new() { ["S"] = "x" }));

        Assert.Equal(["DEFENDER_PROTECTED_USERS: entries must be an object id (GUID) or a UPN glob such as breakglass*@contoso.com"], fromEnv);
        Assert.Equal(["tenants.a.protected_users: entries must be an object id (GUID) or a UPN glob such as breakglass*@contoso.com"], fromFile);
    }

    [Fact]
    public void Out_of_range_budget_is_named_on_both_paths()
    {
        var fromEnv = Problems(new() { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CLIENT_SECRET"] = "x", ["DEFENDER_MAX_ACTIONS_PER_HOUR"] = "20000" });
        var fromFile = Problems(FileEnv(new() { ["tenant_id"] = TenantGuid, ["client_id"] = ClientGuid, ["client_secret_env"] = "S", ["max_actions_per_hour"] = 20000 }, new() { ["S"] = "x" }));

        Assert.Equal(["DEFENDER_MAX_ACTIONS_PER_HOUR: must be between 0 and 10000"], fromEnv);
        Assert.Equal(["tenants.a.max_actions_per_hour: must be between 0 and 10000"], fromFile);
    }
}
