namespace DefenderMcp.Emulator;

/// <summary>An app registered in an emulated tenant, with a secret and a certificate.</summary>
/// <param name="ClientId">Fixed demo client id.</param>
/// <param name="ClientSecret">Fixed demo secret.</param>
/// <param name="CertificatePfxPath">PFX protected by <paramref name="CertificatePassphrase"/> (mode 0600).</param>
/// <param name="CertificatePemPath">Certificate + unencrypted PKCS#8 key PEM (mode 0600).</param>
/// <param name="CertificatePassphrase">The PFX password.</param>
/// <param name="CertificateThumbprint">SHA-1 thumbprint (hex) of the certificate.</param>
/// <param name="GraphRoles">Roles granted on Graph.</param>
/// <param name="MdeRoles">Roles granted on the MDE API.</param>
public sealed record EmulatedApp(
    string ClientId,
    string ClientSecret,
    string CertificatePfxPath,
    string CertificatePemPath,
    string CertificatePassphrase,
    string CertificateThumbprint,
    IReadOnlyList<string> GraphRoles,
    IReadOnlyList<string> MdeRoles);
