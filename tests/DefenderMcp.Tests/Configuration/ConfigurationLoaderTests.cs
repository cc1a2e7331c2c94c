using DefenderMcp.Client;
using DefenderMcp.Configuration;

namespace DefenderMcp.Tests.Configuration;

public sealed class ConfigurationLoaderTests : IDisposable
{
    private const string TenantGuid = "11111111-2222-3333-4444-555555555555";
    private const string ClientGuid = "66666666-7777-8888-9999-000000000000";
    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ServerSettings Load(Dictionary<string, string> env) =>
        new ConfigurationLoader(new EnvironmentSource(name => env.GetValueOrDefault(name), new Dictionary<string, string>())).Load();

    private static IReadOnlyList<string> Problems(Dictionary<string, string> env) =>
        Assert.Throws<ConfigurationException>(() => Load(env)).Problems;

    private string SecureFile(string name, string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }

    [Fact]
    public void Single_tenant_with_a_secret_loads_with_a_warning_and_never_prints_the_secret()
    {
        var settings = Load(new() { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CLIENT_SECRET"] = "s3cr3t-value" });

        var tenant = Assert.Single(settings.Tenants);
        Assert.Equal("default", settings.DefaultTenant);
        Assert.Equal(TenantGuid, tenant.Connection.TenantId);
        Assert.Equal("s3cr3t-value", Assert.IsType<ClientSecretCredentialSpec>(tenant.Connection.Credential).Secret);
        Assert.Equal(ActionTier.Read, tenant.Policy.Actions);
        Assert.Contains(settings.Warnings, w => w.Contains("AZURE_CLIENT_SECRET", StringComparison.Ordinal));
        Assert.DoesNotContain(settings.Warnings, w => w.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public void Single_tenant_with_a_certificate_and_policy_env_vars()
    {
        var cert = SecureFile("app.pem", "not really a cert");
        var settings = Load(new()
        {
            ["AZURE_TENANT_ID"] = TenantGuid,
            ["AZURE_CLIENT_ID"] = ClientGuid,
            ["AZURE_CERT_PATH"] = cert,
            ["AZURE_CERT_PASSPHRASE"] = "pw",
            ["DEFENDER_ACTIONS"] = "respond",
            ["DEFENDER_CONFIRMATION"] = "token",
            ["DEFENDER_PROTECTED_DEVICES"] = "dc-*, tag:Crown",
            ["DEFENDER_MAX_ACTIONS_PER_HOUR"] = "3",
            ["DEFENDER_ALLOW_OFFBOARD"] = "true",
        });

        var tenant = Assert.Single(settings.Tenants);
        var credential = Assert.IsType<CertificateFileCredential>(tenant.Connection.Credential);
        Assert.Equal((cert, "pw"), (credential.Path, credential.Passphrase));
        Assert.Equal((ActionTier.Respond, ConfirmationMode.Token, 3, true), (tenant.Policy.Actions, tenant.Policy.Confirmation, tenant.Policy.MaxActionsPerHour, tenant.Policy.AllowOffboard));
        Assert.Equal(["dc-*", "tag:Crown"], tenant.Policy.ProtectedDevices);
    }

    [Theory]
    [InlineData("AZURE_TENANT_ID")]
    [InlineData("AZURE_CLIENT_ID")]
    [InlineData("AZURE_CLIENT_SECRET")]
    public void Each_missing_variable_is_named(string missing)
    {
        var env = new Dictionary<string, string> { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CLIENT_SECRET"] = "x" };
        env.Remove(missing);

        var problems = Problems(env);

        Assert.Contains(problems, p => p.Contains(missing == "AZURE_CLIENT_SECRET" ? "AZURE_CERT_PATH" : missing, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = Problems(new() { ["DEFENDER_CLOUD"] = "Mars", ["DEFENDER_ACTIONS"] = "everything", ["AZURE_CLIENT_ID"] = "not-a-guid" });

        Assert.Contains(problems, p => p.StartsWith("AZURE_TENANT_ID", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("DEFENDER_CLOUD", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("DEFENDER_ACTIONS", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AZURE_CLIENT_ID: must be a GUID", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://graph.contoso.com/")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("https://user:pw@graph.contoso.com/")]
    [InlineData("not a url")]
    public void Bad_endpoint_overrides_are_refused(string value)
    {
        var problems = Problems(new() { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CLIENT_SECRET"] = "x", ["GRAPH_API_BASE"] = value });

        var problem = Assert.Single(problems);
        Assert.StartsWith("GRAPH_API_BASE:", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8443/")]
    [InlineData("http://localhost:8443")]
    [InlineData("https://graph.contoso.com")]
    public void Https_or_loopback_http_overrides_are_accepted(string value)
    {
        var settings = Load(new() { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CLIENT_SECRET"] = "x", ["GRAPH_API_BASE"] = value });

        Assert.Equal(new Uri(value.TrimEnd('/') + "/"), settings.Tenants[0].Connection.Endpoints.GraphRoot);
    }

    private string TenantsFile(string json, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite) =>
        SecureFile("tenants.json", json, mode);

    [Fact]
    public void Tenants_file_loads_every_tenant_with_its_policy_and_passphrase_from_env()
    {
        var cert = SecureFile("c.pfx", "x");
        var file = TenantsFile($$"""
            {"default": "contoso", "tenants": {
              "contoso": {"tenant_id": "{{TenantGuid}}", "client_id": "{{ClientGuid}}", "cert_path": "{{cert}}", "cert_passphrase_env": "CONTOSO_PW",
                          "actions": "respond", "protected_devices": ["ctso-dc-*"], "max_actions_per_hour": 5},
              "fab_2": {"tenant_id": "fabrikam.onmicrosoft.com", "client_id": "{{ClientGuid}}", "client_secret_env": "FAB_SECRET", "cloud": "GCCHigh"}
            } }
            """);

        var settings = Load(new() { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = file, ["CONTOSO_PW"] = "pw1", ["FAB_SECRET"] = "sec2" });

        Assert.Equal(["contoso", "fab_2"], settings.Tenants.Select(t => t.Key));
        Assert.Equal("contoso", settings.DefaultTenant);
        Assert.Equal("pw1", Assert.IsType<CertificateFileCredential>(settings.Tenants[0].Connection.Credential).Passphrase);
        Assert.Equal(ActionTier.Respond, settings.Tenants[0].Policy.Actions);
        Assert.Equal(5, settings.Tenants[0].Policy.MaxActionsPerHour);
        Assert.Equal("sec2", Assert.IsType<ClientSecretCredentialSpec>(settings.Tenants[1].Connection.Credential).Secret);
        Assert.Equal(new Uri("https://graph.microsoft.us/"), settings.Tenants[1].Connection.Endpoints.GraphRoot);
    }

    [Fact]
    public void Tenants_file_readable_by_others_is_refused()
    {
        var file = TenantsFile("{}", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var problem = Assert.Single(Problems(new() { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = file }));

        Assert.Contains("MCP_DEFENDER_XDR_TENANTS_FILE", problem, StringComparison.Ordinal);
        Assert.Contains("chmod 600", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad key")]
    [InlineData("../etc")]
    [InlineData("a-very-long-key-that-goes-on-and-on-and-on-well-beyond-sixty-four-characters")]
    public void Bad_tenant_keys_are_refused_without_echoing_them(string key)
    {
        var file = TenantsFile($$"""{"default": "ok", "tenants": {"{{key}}": {"tenant_id": "{{TenantGuid}}", "client_id": "{{ClientGuid}}", "client_secret_env": "S"}, "ok": {"tenant_id": "{{TenantGuid}}", "client_id": "{{ClientGuid}}", "client_secret_env": "S"} } }""");

        var problems = Problems(new() { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = file, ["S"] = "x" });

        var problem = Assert.Single(problems);
        Assert.Contains("key must match", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(key, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_tenant_is_required_and_must_exist()
    {
        var noDefault = TenantsFile($$"""{"tenants": {"a": {"tenant_id": "{{TenantGuid}}", "client_id": "{{ClientGuid}}", "client_secret_env": "S"} } }""");
        Assert.Contains(Problems(new() { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = noDefault, ["S"] = "x" }), p => p.StartsWith("default: missing", StringComparison.Ordinal));

        var wrongDefault = TenantsFile($$"""{"default": "b", "tenants": {"a": {"tenant_id": "{{TenantGuid}}", "client_id": "{{ClientGuid}}", "client_secret_env": "S"} } }""");
        Assert.Contains(Problems(new() { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = wrongDefault, ["S"] = "x" }), p => p.StartsWith("default: does not name", StringComparison.Ordinal));
    }

    [Fact]
    public void Inline_passphrase_is_accepted_with_a_warning_that_does_not_contain_it()
    {
        var cert = SecureFile("c.pfx", "x");
        var file = TenantsFile($$"""{"default": "a", "tenants": {"a": {"tenant_id": "{{TenantGuid}}", "client_id": "{{ClientGuid}}", "cert_path": "{{cert}}", "cert_passphrase": "inline-pw-123"} } }""");

        var settings = Load(new() { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = file });

        Assert.Equal("inline-pw-123", Assert.IsType<CertificateFileCredential>(settings.Tenants[0].Connection.Credential).Passphrase);
        var warning = Assert.Single(settings.Warnings);
        Assert.Contains("tenants.a.cert_passphrase", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("inline-pw-123", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("client_secret", "\"auth\": \"secret\"")]
    [InlineData("cert_passphrase", "\"cert_path\": \"CERT\"")]
    public void An_inline_secret_beside_its_env_twin_is_refused_without_its_value(string field, string credential)
    {
        var cert = SecureFile("c.pfx", "x");
        var file = TenantsFile($$"""
            {"default": "a", "tenants": {"a": {"tenant_id": "{{TenantGuid}}", "client_id": "{{ClientGuid}}", {{credential.Replace("CERT", cert, StringComparison.Ordinal)}},
              "{{field}}": "inline-value-123", "{{field}}_env": "TWIN_SECRET"} } }
            """);

        var problems = Problems(new() { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = file, ["TWIN_SECRET"] = "env-value-456" });

        var problem = Assert.Single(problems);
        Assert.StartsWith($"tenants.a.{field}: set together with {field}_env", problem, StringComparison.Ordinal);
        Assert.Contains($"remove {field}", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("inline-value-123", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("env-value-456", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_in_the_tenants_file_name_their_json_path()
    {
        var loose = SecureFile("loose.pfx", "x", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var file = TenantsFile($$"""
            {"default": "a", "tenants": {"a": {"tenant_id": "nope", "client_id": "{{ClientGuid}}", "cert_path": "{{loose}}",
              "cert_passphrase_env": "MISSING_PW", "actions": "admin", "graph_api_base": "http://example.com", "max_actions_per_hour": "ten"} } }
            """);

        var problems = Problems(new() { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = file });

        Assert.Contains(problems, p => p.StartsWith("tenants.a.tenant_id:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("tenants.a.cert_path:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("tenants.a.cert_passphrase_env: environment variable MISSING_PW", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("tenants.a.actions:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("tenants.a.graph_api_base:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("tenants.a.max_actions_per_hour:", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_json_reports_the_line_but_not_the_content()
    {
        var file = TenantsFile("{\n \"default\": \"a\",\n \"secret\": oops }");

        var problem = Assert.Single(Problems(new() { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = file }));

        Assert.Contains("not valid JSON (line 3)", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("oops", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Dot_env_values_fill_in_but_never_override_the_process_environment()
    {
        var problems = new List<string>();
        var dotEnv = DotEnvFile.Parse("# comment\nexport AZURE_TENANT_ID=\"" + TenantGuid + "\"\nAZURE_CLIENT_ID=" + ClientGuid + " # trailing\nAZURE_CLIENT_SECRET='from-file'\nthis line is wrong\n", problems);
        var source = new EnvironmentSource(name => name == "AZURE_CLIENT_SECRET" ? "from-process" : null, dotEnv);

        var settings = new ConfigurationLoader(source).Load();

        Assert.Equal(TenantGuid, settings.Tenants[0].Connection.TenantId);
        Assert.Equal(ClientGuid, settings.Tenants[0].Connection.ClientId);
        Assert.Equal("from-process", Assert.IsType<ClientSecretCredentialSpec>(settings.Tenants[0].Connection.Credential).Secret);
        Assert.Equal([".env line 5: expected KEY=value"], problems);
    }

    [Fact]
    public void Read_only_forces_the_read_tier_for_every_tenant()
    {
        var settings = Load(new() { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CLIENT_SECRET"] = "x", ["DEFENDER_ACTIONS"] = "live_response" });

        Assert.Equal(ActionTier.LiveResponse, settings.Tenants[0].Policy.Actions);
        Assert.Equal(ActionTier.Read, settings.AsReadOnly().Tenants[0].Policy.Actions);
    }

    [Theory]
    [InlineData(null, 1024 * 1024)]
    [InlineData("65536", 65536)]
    [InlineData("67108864", 67108864)]
    public void The_fan_out_byte_budget_defaults_to_one_mebibyte_and_takes_its_range(string? value, int expected)
    {
        var env = new Dictionary<string, string> { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CLIENT_SECRET"] = "x" };
        if (value is not null)
        {
            env["DEFENDER_MCP_FANOUT_BYTE_BUDGET"] = value;
        }

        Assert.Equal(expected, Load(env).FanOutByteBudget);
    }

    [Theory]
    [InlineData("65535")]
    [InlineData("67108865")]
    [InlineData("1MB")]
    public void A_fan_out_byte_budget_out_of_range_is_refused_at_start(string value)
    {
        var problems = Problems(new() { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CLIENT_SECRET"] = "x", ["DEFENDER_MCP_FANOUT_BYTE_BUDGET"] = value });

        Assert.Equal(["DEFENDER_MCP_FANOUT_BYTE_BUDGET: must be an integer from 65536 to 67108864"], problems);
    }

    [Fact]
    public void An_audit_size_without_an_audit_file_is_a_warning_and_with_one_sets_the_rotation()
    {
        var env = new Dictionary<string, string> { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CLIENT_SECRET"] = "x", ["DEFENDER_MCP_AUDIT_MAX_MB"] = "100" };

        var alone = Load(env);
        env["DEFENDER_MCP_AUDIT_FILE"] = Path.Combine(_dir, "audit.jsonl");
        var withFile = Load(env);

        Assert.Contains(alone.Warnings, w => w.StartsWith("DEFENDER_MCP_AUDIT_MAX_MB: set without DEFENDER_MCP_AUDIT_FILE", StringComparison.Ordinal));
        Assert.Null(alone.AuditFilePath);
        Assert.DoesNotContain(withFile.Warnings, w => w.StartsWith("DEFENDER_MCP_AUDIT_MAX_MB", StringComparison.Ordinal));
        Assert.Equal(100L * 1024 * 1024, withFile.AuditMaxFileBytes);
    }

    [Theory]
    [InlineData("tenants.a.actions", "{\"default\": \"a\", \"tenants\": {\"a\": {\"tenant_id\": \"T\", \"client_id\": \"C\", \"client_secret_env\": \"S\", \"actions\": \"read\", \"actions\": \"live_response\"}}}")]
    [InlineData("tenants.a", "{\"default\": \"a\", \"tenants\": {\"a\": {\"tenant_id\": \"T\", \"client_id\": \"C\", \"client_secret_env\": \"S\"}, \"a\": {\"tenant_id\": \"T\", \"client_id\": \"C\", \"client_secret_env\": \"S\", \"actions\": \"respond\"}}}")]
    [InlineData("tenants(entry 2)", "{\"default\": \"a\", \"tenants\": {\"a\": {\"tenant_id\": \"T\", \"client_id\": \"C\", \"client_secret_env\": \"S\"}, \"x y\": {}, \"x y\": {}}}")]
    public void A_tenants_file_name_given_twice_is_refused_with_its_path(string path, string json)
    {
        var file = TenantsFile(json.Replace("\"T\"", $"\"{TenantGuid}\"", StringComparison.Ordinal).Replace("\"C\"", $"\"{ClientGuid}\"", StringComparison.Ordinal));

        var problem = Assert.Single(Problems(new() { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = file, ["S"] = "secret" }));

        Assert.Equal($"$.{path}: given more than once; keep one (JSON readers disagree on which one counts)", problem);
    }
}
