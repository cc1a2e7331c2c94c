namespace DefenderMcp.Client;

/// <summary>A client secret.</summary>
/// <param name="Secret">The secret value.</param>
public sealed record ClientSecretCredentialSpec(string Secret) : TenantCredential
{
    /// <inheritdoc />
    public override string ToString() => "ClientSecretCredentialSpec { Secret = *** }";
}
