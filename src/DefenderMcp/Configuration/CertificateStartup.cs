using DefenderMcp.Client;
using DefenderMcp.Hosting.Doctor;

namespace DefenderMcp.Configuration;

/// <summary>
/// Opens every certificate file at start, so a wrong passphrase, a file without its private key or an expired
/// certificate is an exit-2 configuration error naming the tenant, the file and the setting, not a failure at the
/// first call. Never the passphrase, never the bytes.
/// </summary>
public static class CertificateStartup
{
    /// <summary>One line per certificate problem; empty when every certificate file is usable now.</summary>
    public static IReadOnlyList<string> Check(ServerSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var check = new CertificateCheck(time);
        var problems = new List<string>();
        foreach (var tenant in settings.Tenants)
        {
            if (tenant.Connection.Credential is not CertificateFileCredential file)
            {
                continue;
            }

            var single = tenant.Key == ConfigurationLoader.SingleTenantKey;
            var setting = single ? EnvironmentVariables.CertPath : $"tenants.{tenant.Key}.cert_path";
            var who = single ? $"tenant {tenant.Connection.TenantId}" : $"tenant '{tenant.Key}' ({tenant.Connection.TenantId})";
            foreach (var finding in check.Run(tenant).Findings.Where(f => f.Status == DoctorStatus.Problem))
            {
                problems.Add($"{setting}: the certificate {file.Path} of {who}: {finding.Detail}; {finding.Fix}");
            }
        }

        return problems;
    }
}
