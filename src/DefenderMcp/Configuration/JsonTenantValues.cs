using System.Text.Json;
using System.Text.RegularExpressions;

namespace DefenderMcp.Configuration;

/// <summary>
/// One tenant of the tenants file (<c>tenants.&lt;key&gt;</c>): fields are read as typed JSON, problems name the JSON
/// path, and secrets come from the environment variable a <c>*_env</c> field names, never from the file (except an
/// inline certificate passphrase, accepted with a warning unless its <c>*_env</c> twin is set too).
/// </summary>
internal sealed partial class JsonTenantValues(
    string key, JsonElement tenant, EnvironmentSource env, ICollection<string> problems, ICollection<string> warnings) : ITenantValues
{
    // A tenant field that, when absent, takes the server-wide environment variable (documented in configuration.md).
    private static readonly Dictionary<string, string> EnvironmentFallbacks = new(StringComparer.Ordinal)
    {
        ["federated_token_file"] = EnvironmentVariables.FederatedTokenFile,
    };

    // Secrets that may also be written inline in the file (with a warning); every other secret must use its *_env field.
    private static readonly HashSet<string> InlineSecrets = new(StringComparer.Ordinal) { "cert_passphrase" };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex EnvNamePattern();

    private string At => $"tenants.{key}.";

    /// <inheritdoc />
    public string PathOf(string field)
    {
        if (IsSecret(field))
        {
            return At + (IsPresent(field) && !IsPresent(field + "_env") ? field : field + "_env");
        }

        return !IsPresent(field) && EnvironmentFallbacks.TryGetValue(field, out var variable) && env.Get(variable) is not null
            ? variable
            : At + field;
    }

    /// <inheritdoc />
    public bool Has(string field) => IsSecret(field)
        ? IsPresent(field + "_env") || IsPresent(field)
        : IsPresent(field) || (EnvironmentFallbacks.TryGetValue(field, out var variable) && env.Get(variable) is not null);

    /// <inheritdoc />
    public string? Get(string field)
    {
        if (!tenant.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return EnvironmentFallbacks.TryGetValue(field, out var variable) ? env.Get(variable) : null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            problems.Add(At + field + ": must be a non-empty string");
            return null;
        }

        return value.GetString()!.Trim();
    }

    /// <inheritdoc />
    public IReadOnlyList<string>? GetList(string field)
    {
        if (!tenant.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            problems.Add(At + field + ": must be an array of strings");
            return null;
        }

        return [.. value.EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <inheritdoc />
    public int? GetInt(string field)
    {
        if (!tenant.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        problems.Add(At + field + ": must be an integer");
        return null;
    }

    /// <inheritdoc />
    public bool? GetBool(string field)
    {
        if (!tenant.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        problems.Add(At + field + ": must be true or false");
        return null;
    }

    /// <inheritdoc />
    public string? GetSecret(string field)
    {
        if (IsPresent(field) && IsPresent(field + "_env"))
        {
            // Two sources of one secret: which one wins is a guess, and an inline client secret would slip past its
            // refusal. Refused, naming the field to remove, never its value.
            problems.Add($"{At}{field}: set together with {field}_env; a secret has one source: remove {field} from the tenants file and keep {field}_env");
            return null;
        }

        if (Get(field + "_env") is { } name)
        {
            if (!EnvNamePattern().IsMatch(name))
            {
                problems.Add($"{At}{field}_env: must be an environment variable name");
                return null;
            }

            var secret = env.Get(name);
            if (secret is null)
            {
                problems.Add($"{At}{field}_env: environment variable {name} is not set");
            }

            return secret;
        }

        if (!IsPresent(field))
        {
            return null;
        }

        if (!InlineSecrets.Contains(field))
        {
            problems.Add($"{At}{field}: secrets are not read from the tenants file; name an environment variable in {field}_env");
            return null;
        }

        var inline = Get(field);
        if (inline is not null)
        {
            warnings.Add($"{At}{field}: an inline secret is stored in the tenants file; prefer {field}_env");
        }

        return inline;
    }

    private static bool IsSecret(string field) => field is "client_secret" or "cert_passphrase";

    private bool IsPresent(string field) =>
        tenant.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null;
}
