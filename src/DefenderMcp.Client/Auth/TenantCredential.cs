namespace DefenderMcp.Client;

/// <summary>How a tenant authenticates; one of the sealed records below.</summary>
public abstract record TenantCredential;
