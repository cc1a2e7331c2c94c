using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Policy;

namespace DefenderMcp.Hosting.Doctor;

/// <summary>A token for each scope (Graph and Defender for Endpoint), and the app roles in it against those the tenant's tier needs.</summary>
public static class TokenAndRolesCheck
{
    /// <summary>The findings for <paramref name="tenant"/>; the APIs a token was obtained for are returned for the endpoint check.</summary>
    /// <remarks>Only the roles of the <paramref name="toolsets"/> the server lists count.</remarks>
    public static async Task<(IReadOnlyList<DoctorFinding> Findings, IReadOnlySet<DefenderApi> Authenticated)> RunAsync(
        TenantSettings tenant, DefenderClient client, IReadOnlySet<string> toolsets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(toolsets);
        var findings = new List<DoctorFinding>();
        var authenticated = new HashSet<DefenderApi>();
        foreach (var api in new[] { DefenderApi.Graph, DefenderApi.Mde })
        {
            var scope = tenant.Connection.Endpoints.ScopeFor(api);
            var check = $"token {Name(api)}";
            IReadOnlySet<string> granted;
            try
            {
                granted = (await client.GetGrantedRolesAsync(api, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            }
            catch (DefenderApiException ex)
            {
                findings.Add(new(tenant.Key, check, DoctorStatus.Problem, $"no token for {scope}: {ex.Message}", TokenFix(tenant)));
                findings.Add(new(tenant.Key, $"roles {Name(api)}", DoctorStatus.Warning, "not checked: no token", "fix the token problem first"));
                continue;
            }

            authenticated.Add(api);
            findings.Add(new(tenant.Key, check, DoctorStatus.Ok, $"token for {scope}"));
            var tier = tenant.Policy.Actions;
            var missing = RequiredRoles.Missing(tier, api, granted, toolsets, tenant.Policy.AllowOffboard);
            findings.Add(missing.Count == 0
                ? new(tenant.Key, $"roles {Name(api)}", DoctorStatus.Ok, $"the {Tier(tier)} tier's roles are granted ({string.Join(", ", granted.Order(StringComparer.Ordinal))})")
                : new(tenant.Key, $"roles {Name(api)}", DoctorStatus.Problem,
                    $"missing for the {Tier(tier)} tier and the listed toolsets: {string.Join(", ", missing)}",
                    $"grant the application permission{(missing.Count == 1 ? string.Empty : "s")} {string.Join(", ", missing)} on {(api == DefenderApi.Graph ? "Microsoft Graph" : "WindowsDefenderATP")} to the app registration and give admin consent (or lower the tenant's actions tier)"));
            var beyond = RequiredRoles.BeyondTier(tier, api, granted, tenant.Policy.AllowOffboard);
            if (beyond.Count > 0)
            {
                // The server will not use them, but the credential can: least privilege, as an MSSP owes its customers.
                findings.Add(new(tenant.Key, $"extra roles {Name(api)}", DoctorStatus.Warning,
                    $"the app also holds roles only a higher tier (or offboarding) uses: {string.Join(", ", beyond)}; this server never uses them, but anyone with this credential can",
                    $"remove {(beyond.Count == 1 ? "that application permission" : "those application permissions")} from the app registration on {(api == DefenderApi.Graph ? "Microsoft Graph" : "WindowsDefenderATP")}, or raise the tenant's actions tier if it should act"));
            }
        }

        return (findings, authenticated);
    }

    /// <summary>How the two APIs are named in the report.</summary>
    public static string Name(DefenderApi api) => api == DefenderApi.Graph ? "graph" : "defender";

    /// <summary>A tier as the configuration spells it.</summary>
    public static string Tier(ActionTier tier) => tier switch
    {
        ActionTier.LiveResponse => "live_response",
        _ => tier.ToString().ToLowerInvariant(),
    };

    private static string TokenFix(TenantSettings tenant)
    {
        var single = tenant.Key == ConfigurationLoader.SingleTenantKey;
        return tenant.Connection.Credential switch
        {
            ClientSecretCredentialSpec => $"the client secret is wrong or expired: create a new secret on the app registration and set {(single ? EnvironmentVariables.ClientSecret : $"the variable named by tenants.{tenant.Key}.client_secret_env")}; check the tenant and client ids",
            CertificateFileCredential => "upload this certificate's public part to the app registration (Certificates & secrets), or check the tenant and client ids",
            ManagedIdentityCredentialSpec => "give this host a managed identity (with the app roles), or check the user-assigned identity's client id",
            WorkloadIdentityCredentialSpec => "check the app's federated credential (issuer, subject, audience) and that the token file is fresh",
            KeyVaultCertificateCredentialSpec => "upload the Key Vault certificate's public part to the app registration, or check the tenant and client ids",
            AzureCliCredentialSpec => "run 'az login' (with --tenant) on this machine",
            _ => "check the tenant id, client id and credential",
        };
    }
}
