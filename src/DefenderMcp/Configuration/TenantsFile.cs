using System.Text.Json;
using System.Text.RegularExpressions;

namespace DefenderMcp.Configuration;

/// <summary>
/// The tenants file (<c>MCP_DEFENDER_XDR_TENANTS_FILE</c>): refuses a file others can read, parses it without ever
/// quoting it (it may hold a passphrase), checks the keys and <c>default</c>, and hands each tenant to a reader.
/// </summary>
internal static partial class TenantsFile
{
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    internal static partial Regex TenantKeyPattern();

    /// <summary>Reads every tenant of the file at <paramref name="path"/> with <paramref name="readTenant"/>; problems name their JSON path.</summary>
    public static (IReadOnlyList<TenantSettings> Tenants, string? DefaultKey) Read(
        string path, Func<string, JsonElement, TenantSettings?> readTenant, ICollection<string> problems)
    {
        if (SecureFile.Check(path, EnvironmentVariables.TenantsFile) is { } fileProblem)
        {
            problems.Add(fileProblem);
            return ([], null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            // The position helps; the text of the file might hold a secret, so it is never quoted.
            problems.Add($"{EnvironmentVariables.TenantsFile}: not valid JSON (line {ex.LineNumber + 1})");
            return ([], null);
        }

        using (document)
        {
            var root = document.RootElement;
            // A repeated tenant or field would be read twice or once silently; names only, never values, are shown.
            if (DuplicateNames.Find(root, quoteNames: false) is { Count: > 0 } repeated)
            {
                foreach (var problem in repeated)
                {
                    problems.Add(problem);
                }

                return ([], null);
            }

            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("tenants", out var tenantsElement) || tenantsElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add("tenants: missing; expected {\"default\": \"key\", \"tenants\": {\"key\": {...}}}");
                return ([], null);
            }

            var tenants = ReadTenants(tenantsElement, readTenant, problems);
            return (tenants, ReadDefault(root, tenantsElement, problems));
        }
    }

    private static List<TenantSettings> ReadTenants(JsonElement tenantsElement, Func<string, JsonElement, TenantSettings?> readTenant, ICollection<string> problems)
    {
        var tenants = new List<TenantSettings>();
        var index = 0;
        foreach (var property in tenantsElement.EnumerateObject())
        {
            if (!TenantKeyPattern().IsMatch(property.Name))
            {
                // Never echo the key: it is untrusted text, and the entry's position is enough to find it.
                problems.Add($"tenants (entry {index}): key must match ^[A-Za-z0-9_-]{{1,64}}$");
            }
            else if (property.Value.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"tenants.{property.Name}: must be an object");
            }
            else
            {
                TenantFields.Check(property.Name, property.Value, problems);
                if (readTenant(property.Name, property.Value) is { } tenant)
                {
                    tenants.Add(tenant);
                }
            }

            index++;
        }

        if (index == 0)
        {
            problems.Add("tenants: at least one tenant is required");
        }

        return tenants;
    }

    private static string? ReadDefault(JsonElement root, JsonElement tenantsElement, ICollection<string> problems)
    {
        if (!root.TryGetProperty("default", out var defaultElement) || defaultElement.ValueKind != JsonValueKind.String)
        {
            problems.Add("default: missing; name the default tenant key");
            return null;
        }

        var defaultKey = defaultElement.GetString()!;
        if (!tenantsElement.TryGetProperty(defaultKey, out _))
        {
            problems.Add("default: does not name a tenant in tenants");
            return null;
        }

        return defaultKey;
    }
}
