namespace DefenderMcp.Client;

/// <summary>
/// The app's certificate (with its private key) kept in Key Vault: a secret URI
/// (<c>https://{vault}.vault.azure.net/secrets/{name}[/{version}]</c>) or a certificate URI (<c>…/certificates/…</c>).
/// It is read with this host's managed identity, or with workload identity when <paramref name="WorkloadTokenFile"/>
/// is given, at start and again before it expires.
/// </summary>
/// <param name="Uri">The secret or certificate URI (not a secret itself: it names where the certificate lives).</param>
/// <param name="WorkloadTokenFile">The projected service-account token for workload identity, or null for managed identity.</param>
public sealed record KeyVaultCertificateCredentialSpec(Uri Uri, string? WorkloadTokenFile = null) : TenantCredential;
