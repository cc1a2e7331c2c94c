namespace DefenderMcp.Client;

/// <summary>Managed identity: system-assigned, or user-assigned when <paramref name="ClientId"/> is given.</summary>
public sealed record ManagedIdentityCredentialSpec(string? ClientId) : TenantCredential;
