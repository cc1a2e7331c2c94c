using DefenderMcp.Client;
using DefenderMcp.Configuration;

namespace DefenderMcp.Hosting.Doctor;

/// <summary>Files that hold secrets or policy must be mode 0600 or stricter (POSIX): the tenants, keys, callers and audit files, certificates and token files.</summary>
public static class FileModeCheck
{
    private const string Check = "file mode";

    /// <summary>The server-wide files named by <paramref name="environment"/>.</summary>
    public static IEnumerable<DoctorFinding> ServerFiles(EnvironmentSource environment)
    {
        return new[] { EnvironmentVariables.TenantsFile, "DEFENDER_MCP_API_KEYS_FILE", CallersFile.Variable, EnvironmentVariables.AuditFile }
            .SelectMany(variable => ServerFile(environment, variable));
    }

    /// <summary>The file <paramref name="variable"/> names, when set (the audit file only once it exists).</summary>
    public static IEnumerable<DoctorFinding> ServerFile(EnvironmentSource environment, string variable)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.Get(variable) is { } path && (variable != EnvironmentVariables.AuditFile || File.Exists(path)))
        {
            yield return Inspect(DoctorFinding.AllTenants, path, variable);
        }
    }

    /// <summary>The files a tenant's credential reads.</summary>
    public static IEnumerable<DoctorFinding> TenantFiles(TenantSettings tenant)
    {
        switch (tenant.Connection.Credential)
        {
            case CertificateFileCredential certificate:
                yield return Inspect(tenant.Key, certificate.Path, "certificate");
                break;
            case WorkloadIdentityCredentialSpec { TokenFilePath: { } tokenFile }:
                yield return Inspect(tenant.Key, tokenFile, "federated token file");
                break;
        }
    }

    private static DoctorFinding Inspect(string tenant, string path, string what)
    {
        var problem = SecureFile.Check(path, $"{what} {path}");
        return problem is null
            ? new DoctorFinding(tenant, Check, DoctorStatus.Ok, $"{what} {path}: {Mode(path)}")
            : new DoctorFinding(tenant, Check, DoctorStatus.Problem, problem, Fix(path));
    }

    private static string Fix(string path) =>
        !File.Exists(path) ? $"create {path}, or fix the setting that names it"
        : !SecureFile.IsReadable(path) ? $"chown {path} to the user the server runs as, then chmod 600 {path}"
        : $"chmod 600 {path}";

    private static string Mode(string path) =>
        OperatingSystem.IsWindows() ? "exists" : "mode " + Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');
}
