using System.Text.RegularExpressions;
using DefenderMcp.Client;

namespace DefenderMcp.Configuration;

/// <summary>
/// The tenant rules, written once for both sources (environment variables and the tenants file): identity, the
/// credential, endpoints and policy. Every problem is added to <paramref name="problems"/>, so the user sees them all.
/// </summary>
/// <param name="endpointDefaults">Server-wide endpoint settings a tenant falls back to.</param>
/// <param name="trustedCertificatePemPath">The extra TLS trust anchor, shared by every tenant.</param>
/// <param name="problems">Where problems go, one line each, naming the setting and never a secret.</param>
/// <param name="warnings">Where accepted-but-discouraged choices go (logged and audited at start).</param>
internal sealed partial class TenantReader(
    EndpointSettings endpointDefaults, string? trustedCertificatePemPath, ICollection<string> problems, ICollection<string> warnings)
{
    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex DomainPattern();

    /// <summary>The tenant <paramref name="key"/> read from <paramref name="values"/>, or null when any of its settings is a problem.</summary>
    public TenantSettings? Read(string key, ITenantValues values)
    {
        var before = problems.Count;
        var auth = values.Get("auth")?.ToLowerInvariant();
        var tenantId = Required(values, "tenant_id", "the tenant's GUID or verified domain");
        var clientId = auth is "managed_identity" or "azure_cli"
            ? values.Get("client_id")
            : Required(values, "client_id", $"the app's client id, required unless {values.PathOf("auth")} is managed_identity");
        CheckId(tenantId, values.PathOf("tenant_id"), allowDomain: true);
        CheckId(clientId, values.PathOf("client_id"), allowDomain: false);

        var credential = ReadCredential(values, auth, clientId);
        var endpoints = EndpointSettings.Read(values, endpointDefaults, problems);
        var policy = PolicyReader.Read(
            values.Get("actions"),
            values.Get("confirmation"),
            values.GetList("protected_devices"),
            values.GetInt("max_actions_per_hour"),
            values.GetBool("allow_offboard"),
            values.PathOf,
            problems) with { ProtectedUsers = PolicyReader.ReadProtectedUsers(values.GetList("protected_users"), values.PathOf, problems) };

        if (problems.Count > before || tenantId is null || credential is null)
        {
            return null;
        }

        var connection = new DefenderTenantOptions
        {
            TenantId = tenantId,
            ClientId = clientId ?? string.Empty,
            Credential = credential,
            Endpoints = endpoints.ToEndpoints(),
            TrustedCertificatePemPath = trustedCertificatePemPath,
        };
        return new TenantSettings(key, connection, policy);
    }

    private TenantCredential? ReadCredential(ITenantValues values, string? auth, string? clientId)
    {
        // A certificate kept in Key Vault, read with this host's managed (or workload) identity: see KeyVaultSetting.
        var keyVault = values.Has("cert_key_vault_secret");
        if (keyVault && auth is null or "certificate")
        {
            return KeyVaultSetting.Read(values, problems);
        }

        if (keyVault)
        {
            problems.Add($"{values.PathOf("cert_key_vault_secret")}: a Key Vault certificate needs {values.PathOf("auth")} unset or certificate");
            return null;
        }

        switch (auth)
        {
            case "azure_cli":
                warnings.Add($"{values.PathOf("auth")}: azure_cli uses the signed-in Azure CLI user; for development only");
                return new AzureCliCredentialSpec();
            case "managed_identity":
                return new ManagedIdentityCredentialSpec(clientId);
            case "workload_identity":
                var tokenFile = Required(values, "federated_token_file", "workload_identity needs the projected service-account token file");
                if (tokenFile is not null && !File.Exists(tokenFile))
                {
                    problems.Add($"{values.PathOf("federated_token_file")}: file not found");
                }

                return new WorkloadIdentityCredentialSpec(tokenFile);
            case null or "certificate" or "secret":
                if (values.Has("cert_path") && auth != "secret")
                {
                    var certPath = values.Get("cert_path");
                    if (certPath is not null && SecureFile.Check(certPath, values.PathOf("cert_path")) is { } problem)
                    {
                        problems.Add(problem);
                    }

                    return certPath is null ? null : new CertificateFileCredential(certPath, values.GetSecret("cert_passphrase"));
                }

                if (values.Has("client_secret") && auth != "certificate")
                {
                    warnings.Add($"{values.PathOf("client_secret")}: a client secret is weaker than a certificate; prefer {values.PathOf("cert_path")}");
                    return values.GetSecret("client_secret") is { } secret ? new ClientSecretCredentialSpec(secret) : null;
                }

                if (!keyVault)
                {
                    var missing = values.PathOf(auth == "secret" ? "client_secret" : "cert_path");
                    problems.Add($"{missing}: missing; give a certificate ({values.PathOf("cert_path")}) or a client secret ({values.PathOf("client_secret")}), " +
                        $"or set {values.PathOf("auth")} to managed_identity or workload_identity");
                }

                return null;
            default:
                problems.Add($"{values.PathOf("auth")}: must be certificate, secret, managed_identity, workload_identity or azure_cli");
                return null;
        }
    }

    private string? Required(ITenantValues values, string field, string why)
    {
        var value = values.Get(field);
        if (value is null && !values.Has(field))
        {
            problems.Add($"{values.PathOf(field)}: missing; {why}");
        }

        return value;
    }

    private void CheckId(string? value, string setting, bool allowDomain)
    {
        if (value is null || Guid.TryParse(value, out _))
        {
            return;
        }

        if (allowDomain && value.Contains('.', StringComparison.Ordinal) && DomainPattern().IsMatch(value))
        {
            return;
        }

        problems.Add(allowDomain ? $"{setting}: must be a GUID or a verified domain" : $"{setting}: must be a GUID");
    }
}
