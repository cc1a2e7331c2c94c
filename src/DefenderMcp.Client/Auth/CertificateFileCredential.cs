namespace DefenderMcp.Client;

/// <summary>A certificate with its private key, in a PFX or PEM file.</summary>
/// <param name="Path">The file.</param>
/// <param name="Passphrase">PFX password or encrypted-PEM passphrase, if any.</param>
public sealed record CertificateFileCredential(string Path, string? Passphrase) : TenantCredential
{
    /// <inheritdoc />
    public override string ToString() => $"CertificateFileCredential {{ Path = {Path} }}";
}
