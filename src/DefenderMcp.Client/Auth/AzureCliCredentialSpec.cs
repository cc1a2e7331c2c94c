namespace DefenderMcp.Client;

/// <summary>
/// The signed-in Azure CLI user (<c>az login</c>): for development only. Tokens come from <c>az account
/// get-access-token</c>, so the user's own roles apply, not an app's.
/// </summary>
public sealed record AzureCliCredentialSpec : TenantCredential;
