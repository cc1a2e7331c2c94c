using System.Text.Json;
using System.Text.RegularExpressions;
using DefenderMcp.Client;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Configuration;

/// <summary>
/// Loads and validates the whole configuration before anything is served: the single-tenant env vars or the tenants
/// file, endpoint overrides and server limits. Every problem is collected, so the user sees them all at once.
/// </summary>
public sealed partial class ConfigurationLoader(EnvironmentSource env)
{
    /// <summary>The key given to the tenant configured by env vars alone.</summary>
    public const string SingleTenantKey = "default";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    internal static partial Regex TenantKeyPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex EnvNamePattern();

    /// <summary>Validates everything and returns the settings; throws <see cref="ConfigurationException"/> listing every problem.</summary>
    public ServerSettings Load()
    {
        var problems = new List<string>();
        var warnings = new List<string>();

        var common = ReadCommonEndpoints(problems);
        var tenantsFile = env.Get(EnvironmentVariables.TenantsFile);
        var (tenants, defaultKey) = tenantsFile is null
            ? ReadSingleTenant(common, problems, warnings)
            : ReadTenantsFile(tenantsFile, common, problems, warnings);

        var fanOut = PolicyReader.ParseInt(env.Get(EnvironmentVariables.FanOutConcurrency), EnvironmentVariables.FanOutConcurrency, 1, 64, problems);
        var budget = PolicyReader.ParseInt(env.Get(EnvironmentVariables.HuntingByteBudget), EnvironmentVariables.HuntingByteBudget, 4096, 1024 * 1024, problems);
        var cacheMb = PolicyReader.ParseInt(env.Get(EnvironmentVariables.ResultCacheMegabytes), EnvironmentVariables.ResultCacheMegabytes, 1, 16 * 1024, problems);
        var logLevel = ParseLogLevel(env.Get(EnvironmentVariables.LogLevel), problems);
        var auditFile = env.Get(EnvironmentVariables.AuditFile);
        if (auditFile is not null && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(auditFile))))
        {
            problems.Add($"{EnvironmentVariables.AuditFile}: its directory does not exist");
        }

        var huntsFolder = env.Get(EnvironmentVariables.HuntsFolder);
        if (huntsFolder is not null && !Directory.Exists(huntsFolder))
        {
            problems.Add($"{EnvironmentVariables.HuntsFolder}: folder not found");
        }

        var huntResults = env.Get(EnvironmentVariables.HuntResultsFolder);
        if (huntResults is not null && !Directory.Exists(huntResults))
        {
            problems.Add($"{EnvironmentVariables.HuntResultsFolder}: folder not found");
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        return new ServerSettings
        {
            Tenants = tenants,
            DefaultTenant = defaultKey!,
            FanOutConcurrency = fanOut ?? 5,
            HuntingByteBudget = budget ?? 64 * 1024,
            ResultCacheBytes = (cacheMb ?? 256) * 1024L * 1024,
            AuditFilePath = auditFile,
            HuntsFolder = huntsFolder ?? Areas.SavedHunts.SavedHuntLibrary.BundledFolder,
            HuntResultsFolder = huntResults,
            LogLevel = logLevel,
            Warnings = warnings,
        };
    }

    private sealed record CommonEndpoints(Uri? Authority, Uri? Graph, Uri? Mde, string? TrustCert, DefenderCloud Cloud, string? Region);

    private CommonEndpoints ReadCommonEndpoints(List<string> problems)
    {
        var authority = EndpointOverride.Parse(env.Get(EnvironmentVariables.AuthorityHost), EnvironmentVariables.AuthorityHost, problems);
        var graph = EndpointOverride.Parse(env.Get(EnvironmentVariables.GraphApiBase), EnvironmentVariables.GraphApiBase, problems);
        var mde = EndpointOverride.Parse(env.Get(EnvironmentVariables.DefenderApiBase), EnvironmentVariables.DefenderApiBase, problems);
        var trust = env.Get(EnvironmentVariables.TlsTrustCert);
        if (trust is not null && !File.Exists(trust))
        {
            problems.Add($"{EnvironmentVariables.TlsTrustCert}: file not found");
        }

        var cloud = ParseCloud(env.Get(EnvironmentVariables.Cloud), EnvironmentVariables.Cloud, problems);
        var region = ParseRegion(env.Get(EnvironmentVariables.Region), EnvironmentVariables.Region, problems);
        return new CommonEndpoints(authority, graph, mde, trust, cloud, region);
    }

    private (IReadOnlyList<TenantSettings> Tenants, string? DefaultKey) ReadSingleTenant(
        CommonEndpoints common, List<string> problems, List<string> warnings)
    {
        var tenantId = Required(EnvironmentVariables.TenantId);
        var clientId = env.Get(EnvironmentVariables.ClientId);
        var auth = env.Get(EnvironmentVariables.Auth)?.ToLowerInvariant();
        TenantCredential? credential = null;
        switch (auth)
        {
            case "managed_identity":
                credential = new ManagedIdentityCredentialSpec(clientId);
                break;
            case "workload_identity":
                clientId ??= Required(EnvironmentVariables.ClientId);
                var tokenFile = Required(EnvironmentVariables.FederatedTokenFile);
                if (tokenFile is not null && !File.Exists(tokenFile))
                {
                    problems.Add($"{EnvironmentVariables.FederatedTokenFile}: file not found");
                }

                credential = new WorkloadIdentityCredentialSpec(tokenFile);
                break;
            case null or "certificate" or "secret":
                clientId ??= Required(EnvironmentVariables.ClientId);
                var certPath = env.Get(EnvironmentVariables.CertPath);
                var secret = env.Get(EnvironmentVariables.ClientSecret);
                if (certPath is not null && auth != "secret")
                {
                    AddIfProblem(SecureFile.Check(certPath, EnvironmentVariables.CertPath));
                    credential = new CertificateFileCredential(certPath, env.Get(EnvironmentVariables.CertPassphrase));
                }
                else if (secret is not null && auth != "certificate")
                {
                    warnings.Add($"{EnvironmentVariables.ClientSecret} is set: client secrets are weaker than certificates; prefer {EnvironmentVariables.CertPath}");
                    credential = new ClientSecretCredentialSpec(secret);
                }
                else
                {
                    problems.Add($"{(auth == "secret" ? EnvironmentVariables.ClientSecret : EnvironmentVariables.CertPath)}: missing; set {EnvironmentVariables.CertPath} (certificate) or {EnvironmentVariables.ClientSecret}, or {EnvironmentVariables.Auth}=managed_identity|workload_identity");
                }

                break;
            default:
                problems.Add($"{EnvironmentVariables.Auth}: must be certificate, secret, managed_identity or workload_identity");
                break;
        }

        CheckGuid(tenantId, EnvironmentVariables.TenantId, problems, allowDomain: true);
        CheckGuid(clientId, EnvironmentVariables.ClientId, problems, allowDomain: false);

        var policy = PolicyReader.Read(
            env.Get(EnvironmentVariables.Actions),
            env.Get(EnvironmentVariables.Confirmation),
            env.Get(EnvironmentVariables.ProtectedDevices)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            PolicyReader.ParseInt(env.Get(EnvironmentVariables.MaxActionsPerHour), EnvironmentVariables.MaxActionsPerHour, 0, 10_000, problems),
            PolicyReader.ParseBool(env.Get(EnvironmentVariables.AllowOffboard), EnvironmentVariables.AllowOffboard, problems),
            name => "DEFENDER_" + name.ToUpperInvariant(),
            problems);

        if (tenantId is null || credential is null)
        {
            return ([], null);
        }

        var connection = new DefenderTenantOptions
        {
            TenantId = tenantId,
            ClientId = clientId ?? string.Empty,
            Credential = credential,
            Endpoints = DefenderEndpoints.For(common.Cloud, common.Region).WithOverrides(common.Authority, common.Graph, common.Mde),
            TrustedCertificatePemPath = common.TrustCert,
        };
        return ([new TenantSettings(SingleTenantKey, connection, policy)], SingleTenantKey);

        string? Required(string name)
        {
            var value = env.Get(name);
            if (value is null)
            {
                problems.Add($"{name}: missing");
            }

            return value;
        }

        void AddIfProblem(string? problem)
        {
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }
    }

    private (IReadOnlyList<TenantSettings> Tenants, string? DefaultKey) ReadTenantsFile(
        string path, CommonEndpoints common, List<string> problems, List<string> warnings)
    {
        var fileProblem = SecureFile.Check(path, EnvironmentVariables.TenantsFile);
        if (fileProblem is not null)
        {
            problems.Add(fileProblem);
            return ([], null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            // The position helps; the text of the file might hold a secret, so it is never quoted.
            problems.Add($"{EnvironmentVariables.TenantsFile}: not valid JSON (line {ex.LineNumber + 1})");
            return ([], null);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("tenants", out var tenantsElement) || tenantsElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add("tenants: missing; expected {\"default\": \"key\", \"tenants\": {\"key\": {...}}}");
                return ([], null);
            }

            var tenants = new List<TenantSettings>();
            var index = 0;
            foreach (var property in tenantsElement.EnumerateObject())
            {
                if (!TenantKeyPattern().IsMatch(property.Name))
                {
                    problems.Add($"tenants (entry {index}): key must match ^[A-Za-z0-9_-]{{1,64}}$");
                }
                else if (property.Value.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"tenants.{property.Name}: must be an object");
                }
                else if (ReadTenant(property.Name, property.Value, common, problems, warnings) is { } tenant)
                {
                    tenants.Add(tenant);
                }

                index++;
            }

            if (index == 0)
            {
                problems.Add("tenants: at least one tenant is required");
            }

            string? defaultKey = null;
            if (!root.TryGetProperty("default", out var defaultElement) || defaultElement.ValueKind != JsonValueKind.String)
            {
                problems.Add("default: missing; name the default tenant key");
            }
            else
            {
                defaultKey = defaultElement.GetString();
                if (!tenantsElement.TryGetProperty(defaultKey!, out _))
                {
                    problems.Add("default: does not name a tenant in tenants");
                }
            }

            return (tenants, defaultKey);
        }
    }

    private TenantSettings? ReadTenant(string key, JsonElement json, CommonEndpoints common, List<string> problems, List<string> warnings)
    {
        var at = $"tenants.{key}.";
        var before = problems.Count;
        var tenantId = Str("tenant_id", required: true);
        var clientId = Str("client_id", required: false);
        CheckGuid(tenantId, at + "tenant_id", problems, allowDomain: true);
        CheckGuid(clientId, at + "client_id", problems, allowDomain: false);

        var auth = Str("auth", required: false)?.ToLowerInvariant();
        var certPath = Str("cert_path", required: false);
        var secretEnv = Str("client_secret_env", required: false);
        if (Str("cert_key_vault_secret", required: false) is not null)
        {
            problems.Add(at + "cert_key_vault_secret: not supported in this version; use cert_path");
        }

        TenantCredential? credential = null;
        switch (auth)
        {
            case "managed_identity":
                credential = new ManagedIdentityCredentialSpec(clientId);
                break;
            case "workload_identity":
                credential = new WorkloadIdentityCredentialSpec(Str("federated_token_file", required: false) ?? env.Get(EnvironmentVariables.FederatedTokenFile));
                break;
            case null or "certificate" or "secret":
                if (clientId is null)
                {
                    problems.Add(at + "client_id: missing");
                }

                if (certPath is not null && auth != "secret")
                {
                    if (SecureFile.Check(certPath, at + "cert_path") is { } p)
                    {
                        problems.Add(p);
                    }

                    credential = new CertificateFileCredential(certPath, ReadPassphrase());
                }
                else if (secretEnv is not null && auth != "certificate")
                {
                    var secret = EnvValue(secretEnv, "client_secret_env");
                    credential = secret is null ? null : new ClientSecretCredentialSpec(secret);
                }
                else
                {
                    problems.Add(at + "cert_path: missing; give cert_path, client_secret_env, or auth = managed_identity | workload_identity");
                }

                break;
            default:
                problems.Add(at + "auth: must be certificate, secret, managed_identity or workload_identity");
                break;
        }

        var cloud = ParseCloud(Str("cloud", required: false), at + "cloud", problems);
        var region = ParseRegion(Str("region", required: false), at + "region", problems);
        var authority = EndpointOverride.Parse(Str("authority_host", required: false), at + "authority_host", problems) ?? common.Authority;
        var graph = EndpointOverride.Parse(Str("graph_api_base", required: false), at + "graph_api_base", problems) ?? common.Graph;
        var mde = EndpointOverride.Parse(Str("defender_api_base", required: false), at + "defender_api_base", problems) ?? common.Mde;

        var policy = PolicyReader.Read(
            Str("actions", required: false),
            Str("confirmation", required: false),
            StrList("protected_devices"),
            Int("max_actions_per_hour"),
            Bool("allow_offboard"),
            name => at + name,
            problems);

        if (problems.Count > before || tenantId is null || credential is null)
        {
            return null;
        }

        var connection = new DefenderTenantOptions
        {
            TenantId = tenantId,
            ClientId = clientId ?? string.Empty,
            Credential = credential,
            Endpoints = DefenderEndpoints.For(cloud == DefenderCloud.Commercial ? common.Cloud : cloud, region ?? common.Region)
                .WithOverrides(authority, graph, mde),
            TrustedCertificatePemPath = common.TrustCert,
        };
        return new TenantSettings(key, connection, policy);

        string? ReadPassphrase()
        {
            if (Str("cert_passphrase_env", required: false) is { } name)
            {
                return EnvValue(name, "cert_passphrase_env");
            }

            if (Str("cert_passphrase", required: false) is { } inline)
            {
                warnings.Add(at + "cert_passphrase: an inline passphrase is stored in the tenants file; prefer cert_passphrase_env");
                return inline;
            }

            return null;
        }

        string? EnvValue(string name, string field)
        {
            if (!EnvNamePattern().IsMatch(name))
            {
                problems.Add(at + field + ": must be an environment variable name");
                return null;
            }

            var value = env.Get(name);
            if (value is null)
            {
                problems.Add($"{at}{field}: environment variable {name} is not set");
            }

            return value;
        }

        string? Str(string name, bool required)
        {
            if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    problems.Add(at + name + ": missing");
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            {
                problems.Add(at + name + ": must be a non-empty string");
                return null;
            }

            return value.GetString()!.Trim();
        }

        IReadOnlyList<string>? StrList(string name)
        {
            if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                problems.Add(at + name + ": must be an array of strings");
                return null;
            }

            return [.. value.EnumerateArray().Select(e => e.GetString()!)];
        }

        int? Int(string name)
        {
            if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n))
            {
                return n;
            }

            problems.Add(at + name + ": must be an integer");
            return null;
        }

        bool? Bool(string name)
        {
            if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return value.GetBoolean();
            }

            problems.Add(at + name + ": must be true or false");
            return null;
        }
    }

    private static void CheckGuid(string? value, string setting, List<string> problems, bool allowDomain)
    {
        if (value is null || Guid.TryParse(value, out _))
        {
            return;
        }

        if (allowDomain && value.Contains('.', StringComparison.Ordinal) && IdPattern().IsMatch(value))
        {
            return;
        }

        problems.Add(allowDomain ? $"{setting}: must be a GUID or a verified domain" : $"{setting}: must be a GUID");
    }

    private static DefenderCloud ParseCloud(string? value, string setting, List<string> problems)
    {
        if (value is null)
        {
            return DefenderCloud.Commercial;
        }

        if (Enum.TryParse<DefenderCloud>(value, ignoreCase: true, out var cloud) && Enum.IsDefined(cloud) && !int.TryParse(value, out _))
        {
            return cloud;
        }

        problems.Add($"{setting}: must be Commercial, GCC, GCCHigh or DoD");
        return DefenderCloud.Commercial;
    }

    private static string? ParseRegion(string? value, string setting, List<string> problems)
    {
        if (value is null)
        {
            return null;
        }

        var region = value.ToLowerInvariant();
        if (region is "us" or "eu" or "uk" or "au" or "swa" or "ina" or "aea")
        {
            return region;
        }

        problems.Add($"{setting}: must be one of us, eu, uk, au, swa, ina, aea");
        return null;
    }

    private static LogLevel ParseLogLevel(string? value, List<string> problems)
    {
        if (value is null)
        {
            return LogLevel.Warning;
        }

        if (Enum.TryParse<LogLevel>(value, ignoreCase: true, out var level) && !int.TryParse(value, out _))
        {
            return level;
        }

        if (string.Equals(value, "warn", StringComparison.OrdinalIgnoreCase))
        {
            return LogLevel.Warning;
        }

        problems.Add($"{EnvironmentVariables.LogLevel}: must be Trace, Debug, Information, Warning, Error, Critical or None");
        return LogLevel.Warning;
    }
}
