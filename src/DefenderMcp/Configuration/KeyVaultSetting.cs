using DefenderMcp.Client;
using DefenderMcp.Client.Auth;

namespace DefenderMcp.Configuration;

/// <summary>Reads <c>cert_key_vault_secret</c> (<c>AZURE_CERT_KEY_VAULT_SECRET</c>): the Key Vault URI of the tenant's certificate.</summary>
internal static class KeyVaultSetting
{
    /// <summary>The credential, or null after adding a problem that names the setting (never a value read from the vault).</summary>
    public static TenantCredential? Read(ITenantValues values, ICollection<string> problems)
    {
        var path = values.PathOf("cert_key_vault_secret");
        if (values.Has("cert_path") || values.Has("client_secret"))
        {
            problems.Add($"{path}: give one credential: a Key Vault certificate, or {values.PathOf("cert_path")}, or {values.PathOf("client_secret")}");
            return null;
        }

        var text = values.Get("cert_key_vault_secret");
        if (text is null || !Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            problems.Add($"{path}: must be a Key Vault secret or certificate URI, https://{{vault}}.vault.azure.net/secrets/{{name}}[/{{version}}]");
            return null;
        }

        try
        {
            _ = KeyVaultCertificateSource.Parse(uri);
        }
        catch (DefenderApiException ex)
        {
            problems.Add($"{path}: {ex.Message}");
            return null;
        }

        var tokenFile = values.Get("federated_token_file");
        if (tokenFile is not null && !File.Exists(tokenFile))
        {
            problems.Add($"{values.PathOf("federated_token_file")}: file not found");
        }

        return new KeyVaultCertificateCredentialSpec(uri, tokenFile);
    }
}
