using System.Security.Cryptography.X509Certificates;
using DefenderMcp.Client;
using DefenderMcp.Client.Auth;
using DefenderMcp.Configuration;

namespace DefenderMcp.Hosting.Doctor;

/// <summary>A certificate credential: it loads (so the passphrase works), holds its private key, and is within its validity.</summary>
/// <param name="time">The clock expiry is measured against.</param>
public sealed class CertificateCheck(TimeProvider time)
{
    private const string Check = "certificate";

    /// <summary>Certificates closer than this to expiry get a warning.</summary>
    public static TimeSpan RenewalWarning { get; } = TimeSpan.FromDays(30);

    /// <summary>The findings for <paramref name="tenant"/>, and whether a client can be built with its credential.</summary>
    public (IReadOnlyList<DoctorFinding> Findings, bool Usable) Run(TenantSettings tenant)
    {
        if (tenant.Connection.Credential is not CertificateFileCredential file)
        {
            return ([], true);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = CredentialFactory.LoadCertificate(file);
        }
        catch (DefenderApiException)
        {
            var passphrase = tenant.Key == ConfigurationLoader.SingleTenantKey ? EnvironmentVariables.CertPassphrase : $"tenants.{tenant.Key}.cert_passphrase_env";
            return ([new DoctorFinding(tenant.Key, Check, DoctorStatus.Problem,
                $"{file.Path} cannot be loaded: wrong passphrase, or not a PFX/PEM file with its private key",
                $"check the passphrase ({passphrase}); export the certificate with its private key as PFX or PEM")], false);
        }

        using (certificate)
        {
            var findings = Evaluate(tenant, certificate, file.Path, !string.IsNullOrEmpty(file.Passphrase));
            // An expired certificate is still tried: what Entra ID answers is part of the diagnosis.
            return (findings, certificate.HasPrivateKey);
        }
    }

    /// <summary>The certificate read from Key Vault for <paramref name="tenant"/>: the vault answers, and the certificate is usable.</summary>
    public async Task<(IReadOnlyList<DoctorFinding> Findings, bool Usable)> RunKeyVaultAsync(TenantSettings tenant, KeyVaultCertificateCredentialSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            var certificate = await KeyVaultCertificateSource.For(spec, tenant.Connection, Client.Http.TlsTrust.CreateHandler(tenant.Connection.TrustedCertificatePemPath))
                .GetAsync(cancellationToken).ConfigureAwait(false);
            return (Evaluate(tenant, certificate, spec.Uri.AbsoluteUri), certificate.HasPrivateKey);
        }
        catch (DefenderApiException ex)
        {
            return ([new DoctorFinding(tenant.Key, Check, DoctorStatus.Problem, ex.Message,
                "give this host's managed (or workload) identity 'get' on the vault's secrets and certificates, and check the URI")], false);
        }
    }

    private List<DoctorFinding> Evaluate(TenantSettings tenant, X509Certificate2 certificate, string where, bool passphrase = false)
    {
        var findings = new List<DoctorFinding>();
        var now = time.GetUtcNow();
        var facts = $"thumbprint {certificate.Thumbprint}, subject {certificate.Subject}, valid {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}";
        var renew = "create a new certificate, upload its public part to the app registration and point the configuration at it";
        if (!certificate.HasPrivateKey)
        {
            findings.Add(new(tenant.Key, Check, DoctorStatus.Problem, $"no private key in {where} ({facts})", "use a PFX or PEM that holds the private key as well as the certificate"));
        }
        else if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
        {
            findings.Add(new(tenant.Key, Check, DoctorStatus.Problem, $"expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC ({facts})", renew));
        }
        else if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            findings.Add(new(tenant.Key, Check, DoctorStatus.Problem, $"not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC ({facts})", "check this machine's clock, or use a certificate that is valid now"));
        }
        else if (certificate.NotAfter.ToUniversalTime() - now.UtcDateTime < RenewalWarning)
        {
            findings.Add(new(tenant.Key, Check, DoctorStatus.Warning, $"expires in {(certificate.NotAfter.ToUniversalTime() - now.UtcDateTime).Days} days ({facts})", renew));
        }
        else
        {
            findings.Add(new(tenant.Key, Check, DoctorStatus.Ok, $"private key present{(passphrase ? ", passphrase works" : string.Empty)}, {(where.StartsWith("https://", StringComparison.Ordinal) ? "read from " + where + ", " : string.Empty)}{facts}"));
        }
        return findings;
    }
}
