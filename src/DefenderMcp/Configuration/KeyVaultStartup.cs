using DefenderMcp.Client;
using DefenderMcp.Client.Auth;
using DefenderMcp.Client.Http;

namespace DefenderMcp.Configuration;

/// <summary>
/// Fetches every Key Vault certificate before the server serves, so a vault that refuses access is a configuration
/// problem at start (exit 2, naming the URI and the setting, never a value), not a failure on the first tool call.
/// </summary>
public static class KeyVaultStartup
{
    /// <summary>One problem per tenant whose certificate could not be read from Key Vault.</summary>
    public static async Task<IReadOnlyList<string>> CheckAsync(ServerSettings settings, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var tenant in settings.Tenants)
        {
            if (tenant.Connection.Credential is not KeyVaultCertificateCredentialSpec spec)
            {
                continue;
            }

            var setting = tenant.Key == ConfigurationLoader.SingleTenantKey && settings.Tenants.Count == 1
                ? EnvironmentVariables.CertKeyVaultSecret
                : $"tenants.{tenant.Key}.cert_key_vault_secret";
            try
            {
                _ = await KeyVaultCertificateSource.For(spec, tenant.Connection, TlsTrust.CreateHandler(tenant.Connection.TrustedCertificatePemPath))
                    .GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DefenderApiException ex)
            {
                problems.Add($"{setting}: {ex.Message}");
            }
        }

        return problems;
    }
}
