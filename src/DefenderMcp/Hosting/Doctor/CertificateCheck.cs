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
            var findings = new List<DoctorFinding>();
            var now = time.GetUtcNow();
            var facts = $"thumbprint {certificate.Thumbprint}, subject {certificate.Subject}, valid {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}";
            var renew = "create a new certificate, upload its public part to the app registration and point the configuration at it";
            if (!certificate.HasPrivateKey)
            {
                findings.Add(new(tenant.Key, Check, DoctorStatus.Problem, $"no private key in {file.Path} ({facts})", "use a PFX or PEM that holds the private key as well as the certificate"));
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
                findings.Add(new(tenant.Key, Check, DoctorStatus.Ok, $"private key present{(string.IsNullOrEmpty(file.Passphrase) ? string.Empty : ", passphrase works")}, {facts}"));
            }

            // An expired certificate is still tried: what Entra ID answers is part of the diagnosis.
            return (findings, certificate.HasPrivateKey);
        }
    }
}
