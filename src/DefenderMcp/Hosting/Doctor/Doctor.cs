using DefenderMcp.Client;
using DefenderMcp.Configuration;

namespace DefenderMcp.Hosting.Doctor;

/// <summary>
/// <c>defender-mcp doctor</c>: loads the configuration the server would run with, then checks each tenant for real:
/// file modes, the certificate, a token per scope, the app roles its tier needs, each endpoint and the clock, and the
/// shared state store (Redis) when one is configured.
/// </summary>
/// <param name="time">The clock certificates and skew are measured against.</param>
public sealed class Doctor(TimeProvider time)
{
    /// <summary>Limits for the doctor's reads: one try each, so a broken endpoint is reported in seconds, not minutes.</summary>
    private static readonly DefenderRetryOptions Quick = new()
    {
        MaxTransientAttempts = 1,
        RequestTimeout = TimeSpan.FromSeconds(20),
        MaxRetryAfterWait = TimeSpan.FromSeconds(2),
        MaxTotalRetryAfterWait = TimeSpan.FromSeconds(2),
    };

    /// <summary>Checks the configuration in <paramref name="environment"/>; <paramref name="tenantKey"/> limits the checks to one tenant.</summary>
    public async Task<DoctorReport> RunAsync(EnvironmentSource environment, string? tenantKey, CancellationToken cancellationToken)
    {
        var findings = new List<DoctorFinding>();
        // The roles asked for are those of the toolsets the server will list (DEFENDER_MCP_TOOLSETS, else the default);
        // a wrong name is reported with the other configuration problems, not after they are fixed.
        var problems = new List<string>();
        var toolsets = ToolsetSelection.Parse(environment.Get(ToolsetSelection.Variable), Mcp.ToolCatalog.ToolsetNames, ToolsetSelection.Variable, problems);
        ServerSettings? settings = null;
        try
        {
            settings = new ConfigurationLoader(environment).Load() with { Toolsets = toolsets };
        }
        catch (ConfigurationException ex)
        {
            problems.InsertRange(0, ex.Problems);
        }

        if (settings is null || problems.Count > 0)
        {
            findings.AddRange(problems.Select(p => new DoctorFinding(DoctorFinding.AllTenants, "configuration", DoctorStatus.Problem, p,
                "fix the named setting (docs/configuration.md), then run doctor again")));
            // A file the configuration already reported (missing, unreadable, too open) is not reported twice.
            findings.AddRange(FileModeCheck.ServerFiles(environment).Where(f => f.Status != DoctorStatus.Ok &&
                !problems.Any(p => f.Detail.StartsWith(p[..Math.Max(0, p.IndexOf(':', StringComparison.Ordinal))] + " ", StringComparison.Ordinal))));
            return new DoctorReport(findings, ConfigurationInvalid: true);
        }

        var serverFiles = FileModeCheck.ServerFiles(environment)
            .Concat(CallersFileCheck.Run(environment, [.. settings.Tenants.Select(t => t.Key)]))
            .Concat(HttpSettingsCheck.Run(environment))
            .Concat(await EntraAuthorityCheck.RunAsync(environment, cancellationToken).ConfigureAwait(false));
        return await RunAsync(settings, tenantKey, serverFiles, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks <paramref name="settings"/> as built already (<c>doctor --demo</c>: the demo tenants against the emulator);
    /// <paramref name="serverFiles"/> are the findings on the server-wide files the settings came from.
    /// </summary>
    public async Task<DoctorReport> RunAsync(ServerSettings settings, string? tenantKey, IEnumerable<DoctorFinding> serverFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var findings = new List<DoctorFinding>();
        var tenants = settings.Tenants.Where(t => tenantKey is null || string.Equals(t.Key, tenantKey, StringComparison.Ordinal)).ToList();
        if (tenants.Count == 0)
        {
            // The key the user typed is not echoed: it may be anything.
            findings.Add(new(DoctorFinding.AllTenants, "configuration", DoctorStatus.Problem, "no configured tenant has that key",
                $"use one of: {string.Join(", ", settings.Tenants.Select(t => t.Key))}"));
            return new DoctorReport(findings, ConfigurationInvalid: true);
        }

        findings.Add(new(DoctorFinding.AllTenants, "configuration", DoctorStatus.Ok, $"{settings.Tenants.Count} tenant{(settings.Tenants.Count == 1 ? string.Empty : "s")}, default {settings.DefaultTenant}"));
        findings.AddRange(settings.Warnings.Select(w => new DoctorFinding(DoctorFinding.AllTenants, "configuration", DoctorStatus.Warning, w, "see docs/configuration.md")));
        findings.AddRange(serverFiles);
        findings.Add(await StateStoreCheck.RunAsync(settings.Redis, settings.StateFolder, cancellationToken).ConfigureAwait(false));
        foreach (var tenant in tenants)
        {
            findings.AddRange(await CheckTenantAsync(tenant, Mcp.ToolCatalog.ListedToolsets(settings), cancellationToken).ConfigureAwait(false));
        }

        // A rule or HTTP setting serve refuses to start on is an invalid configuration, as the loader's own problems are.
        return new DoctorReport(findings, ConfigurationInvalid: findings.Any(f => f.RefusesStart && f.Status == DoctorStatus.Problem));
    }

    private async Task<IReadOnlyList<DoctorFinding>> CheckTenantAsync(TenantSettings tenant, IReadOnlySet<string> toolsets, CancellationToken cancellationToken)
    {
        var findings = new List<DoctorFinding> { Describe(tenant) };
        findings.AddRange(FileModeCheck.TenantFiles(tenant));
        var (certificateFindings, usable) = tenant.Connection.Credential is KeyVaultCertificateCredentialSpec vault
            ? await new CertificateCheck(time).RunKeyVaultAsync(tenant, vault, cancellationToken).ConfigureAwait(false)
            : new CertificateCheck(time).Run(tenant);
        findings.AddRange(certificateFindings);
        var clock = await new ClockCheck(time).RunAsync(tenant, cancellationToken).ConfigureAwait(false);
        findings.AddRange(clock);
        if (!usable)
        {
            findings.Add(new(tenant.Key, "token", DoctorStatus.Warning, "not checked: the credential cannot be used", "fix the certificate first"));
            return findings;
        }

        // A credential that asks the authority itself gets no token while it does not answer: blaming the secret or the
        // certificate then would send the user the wrong way. (Managed identity and the Azure CLI reach Entra their own way.)
        if (tenant.Connection.Credential is not (ManagedIdentityCredentialSpec or AzureCliCredentialSpec) &&
            clock.Any(f => f.Check == "endpoint authority" && f.Status == DoctorStatus.Problem))
        {
            findings.Add(new(tenant.Key, "token", DoctorStatus.Warning, "not checked: the authority did not answer", "fix the authority endpoint first"));
            return findings;
        }

        DefenderClient client;
        try
        {
            client = DefenderClient.Create(tenant.Connection with { Retry = Quick });
        }
        catch (DefenderApiException ex)
        {
            findings.Add(new(tenant.Key, "token", DoctorStatus.Problem, $"the credential cannot be built: {ex.Message}", "check the credential settings (docs/configuration.md)"));
            return findings;
        }

        using (client)
        {
            var (tokenFindings, authenticated) = await TokenAndRolesCheck.RunAsync(tenant, client, toolsets, cancellationToken).ConfigureAwait(false);
            findings.AddRange(tokenFindings);
            findings.AddRange(await EndpointCheck.RunAsync(tenant, client, authenticated, cancellationToken).ConfigureAwait(false));
        }

        return findings;
    }

    private static DoctorFinding Describe(TenantSettings tenant)
    {
        var connection = tenant.Connection;
        var auth = connection.Credential switch
        {
            CertificateFileCredential => "certificate",
            ClientSecretCredentialSpec => "client secret",
            ManagedIdentityCredentialSpec m => string.IsNullOrEmpty(m.ClientId) ? "system-assigned managed identity" : "user-assigned managed identity",
            WorkloadIdentityCredentialSpec => "workload identity",
            KeyVaultCertificateCredentialSpec => "certificate from Key Vault",
            AzureCliCredentialSpec => "Azure CLI user (development)",
            var other => other.GetType().Name,
        };
        var client = string.IsNullOrEmpty(connection.ClientId) ? string.Empty : $", client {connection.ClientId}";
        return new(tenant.Key, "configuration", DoctorStatus.Ok,
            $"tenant {connection.TenantId}{client}, {auth}, actions {TokenAndRolesCheck.Tier(tenant.Policy.Actions)}, Graph {connection.Endpoints.GraphRoot.Host}, Defender {connection.Endpoints.MdeRoot.Host}");
    }
}
