using System.Globalization;

namespace DefenderMcp.Configuration;

/// <summary>
/// The single tenant configured by environment variables: each tenants-file field maps to its variable
/// (<c>tenant_id</c> to <c>AZURE_TENANT_ID</c>, ...), and problems name the variable.
/// </summary>
internal sealed class EnvTenantValues(EnvironmentSource env, ICollection<string> problems) : ITenantValues
{
    private static readonly Dictionary<string, string> Variables = new(StringComparer.Ordinal)
    {
        ["tenant_id"] = EnvironmentVariables.TenantId,
        ["client_id"] = EnvironmentVariables.ClientId,
        ["auth"] = EnvironmentVariables.Auth,
        ["cert_path"] = EnvironmentVariables.CertPath,
        ["cert_passphrase"] = EnvironmentVariables.CertPassphrase,
        ["cert_key_vault_secret"] = EnvironmentVariables.CertKeyVaultSecret,
        ["client_secret"] = EnvironmentVariables.ClientSecret,
        ["federated_token_file"] = EnvironmentVariables.FederatedTokenFile,
        ["cloud"] = EnvironmentVariables.Cloud,
        ["region"] = EnvironmentVariables.Region,
        ["authority_host"] = EnvironmentVariables.AuthorityHost,
        ["graph_api_base"] = EnvironmentVariables.GraphApiBase,
        ["defender_api_base"] = EnvironmentVariables.DefenderApiBase,
        ["actions"] = EnvironmentVariables.Actions,
        ["confirmation"] = EnvironmentVariables.Confirmation,
        ["protected_devices"] = EnvironmentVariables.ProtectedDevices,
        ["protected_users"] = EnvironmentVariables.ProtectedUsers,
        ["max_actions_per_hour"] = EnvironmentVariables.MaxActionsPerHour,
        ["allow_offboard"] = EnvironmentVariables.AllowOffboard,
    };

    /// <inheritdoc />
    public string PathOf(string field) =>
        Variables.TryGetValue(field, out var variable) ? variable : throw new ArgumentOutOfRangeException(nameof(field), field, "No environment variable for this field.");

    /// <inheritdoc />
    public bool Has(string field) => Get(field) is not null;

    /// <inheritdoc />
    public string? Get(string field) => env.Get(PathOf(field));

    /// <inheritdoc />
    public IReadOnlyList<string>? GetList(string field) =>
        Get(field)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <inheritdoc />
    public int? GetInt(string field)
    {
        var value = Get(field);
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        problems.Add($"{PathOf(field)}: must be an integer");
        return null;
    }

    /// <inheritdoc />
    public bool? GetBool(string field) => PolicyReader.ParseBool(Get(field), PathOf(field), problems);

    /// <inheritdoc />
    public string? GetSecret(string field) => Get(field);
}
