using System.Text.Json;
using System.Text.RegularExpressions;
using DefenderMcp.Kql;

namespace DefenderMcp.Configuration;

/// <summary>
/// The fields a tenant of the tenants file may have. Any other is a problem rather than ignored: a misspelt
/// <c>protected_devices</c> or <c>actions</c> would otherwise silently drop a protection or a tier the operator wrote.
/// </summary>
internal static partial class TenantFields
{
    /// <summary>Every field <see cref="JsonTenantValues"/> reads (an inline <c>client_secret</c> is known, to be refused by name).</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "tenant_id", "client_id", "auth", "cert_path", "cert_passphrase", "cert_passphrase_env", "client_secret", "client_secret_env",
        "cert_key_vault_secret", "federated_token_file", "cloud", "region", "authority_host", "graph_api_base", "defender_api_base",
        "actions", "confirmation", "protected_devices", "protected_users", "max_actions_per_hour", "allow_offboard",
    };

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex PrintableName();

    /// <summary>Adds one problem per unknown field of <paramref name="tenant"/>, named by its JSON path, with the nearest known field.</summary>
    public static void Check(string key, JsonElement tenant, ICollection<string> problems)
    {
        var index = 0;
        foreach (var property in tenant.EnumerateObject())
        {
            if (!Known.Contains(property.Name))
            {
                // A field name is the operator's own text, but only a plain one is quoted: never a value, never odd bytes.
                var at = PrintableName().IsMatch(property.Name) ? $"tenants.{key}.{property.Name}" : $"tenants.{key} (field {index})";
                var nearest = PrintableName().IsMatch(property.Name) ? Nearest(property.Name) : null;
                problems.Add($"{at}: unknown setting; {(nearest is null ? "see the per-tenant fields in docs/configuration.md" : $"did you mean {nearest}?")}");
            }

            index++;
        }
    }

    private static string? Nearest(string name)
    {
        var lowered = name.ToLowerInvariant();
        var best = Known.Select(k => (Field: k, Distance: EditDistance.Between(lowered, k))).OrderBy(x => x.Distance).ThenBy(x => x.Field, StringComparer.Ordinal).First();
        return best.Distance <= Math.Max(2, name.Length / 4) ? best.Field : null;
    }
}
