namespace DefenderMcp.Client;

/// <summary>Workload identity federation with a projected token file.</summary>
public sealed record WorkloadIdentityCredentialSpec(string? TokenFilePath) : TenantCredential;
