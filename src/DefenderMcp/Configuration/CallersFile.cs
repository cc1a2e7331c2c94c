using System.Text.Json;
using System.Text.RegularExpressions;
using DefenderMcp.Policy;

namespace DefenderMcp.Configuration;

/// <summary>
/// Reads the callers file (<c>DEFENDER_MCP_CALLERS_FILE</c>): its own 0600 JSON file, apart from the tenants file,
/// because it names people and changes when the team does, may be kept by another administrator, and leaves the
/// tenants file in the format mcp-defender-xdr users already have.
/// <code>{"callers": {"key:ci-bot": {"tenants": ["contoso"], "actions": "read"}, "role:Defender.Respond": {"tenants": "*", "actions": "respond"}}}</code>
/// </summary>
public static partial class CallersFile
{
    /// <summary>The environment variable naming the file.</summary>
    public const string Variable = "DEFENDER_MCP_CALLERS_FILE";

    private const int MaxRules = 10_000;

    /// <summary>Reads and validates the file against the configured tenant keys; throws <see cref="ConfigurationException"/> with one line per problem.</summary>
    public static CallerPolicy Load(string path, IReadOnlyList<string> tenantKeys)
    {
        ArgumentNullException.ThrowIfNull(tenantKeys);
        if (SecureFile.Check(path, Variable) is { } fileProblem)
        {
            throw new ConfigurationException([fileProblem]);
        }

        var info = new FileInfo(path);
        if (info.Length > 4 * 1024 * 1024)
        {
            throw new ConfigurationException([$"{Variable}: file is larger than 4 MiB"]);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return Parse(document.RootElement, tenantKeys);
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException([$"{Variable}: not valid JSON (line {ex.LineNumber + 1})"]);
        }
    }

    /// <summary>Validates the parsed file; throws <see cref="ConfigurationException"/> with one line per problem.</summary>
    public static CallerPolicy Parse(JsonElement root, IReadOnlyList<string> tenantKeys)
    {
        ArgumentNullException.ThrowIfNull(tenantKeys);
        // A repeated rule name or field would be read twice or once silently; refuse the file before reading it.
        var problems = DuplicateNames.Find(root, quoteNames: true);
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("callers", out var callers) || callers.ValueKind != JsonValueKind.Object)
        {
            throw new ConfigurationException(["$.callers: must be an object of rules such as \"role:Defender.Read\": {\"tenants\": \"*\", \"actions\": \"read\"}"]);
        }

        var known = tenantKeys.ToHashSet(StringComparer.Ordinal);
        var rules = new List<CallerRule>();
        foreach (var entry in callers.EnumerateObject())
        {
            // Entry names come from the operator's own file, so naming them in a problem line is safe and helpful.
            var at = $"$.callers[\"{Printable(entry.Name)}\"]";
            if (rules.Count >= MaxRules)
            {
                problems.Add($"$.callers: more than {MaxRules} rules");
                break;
            }

            var match = ParseMatch(entry.Name, at, problems);
            if (entry.Value.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{at}: must be an object with \"tenants\" and \"actions\"");
                continue;
            }

            var tenants = ParseTenants(entry.Value, at, known, problems);
            var actions = ParseActions(entry.Value, at, problems);
            foreach (var property in entry.Value.EnumerateObject().Where(p => p.Name is not ("tenants" or "actions")))
            {
                problems.Add($"{at}.{Printable(property.Name)}: unknown setting (expected tenants, actions)");
            }

            if (match is { } m && tenants is not null)
            {
                rules.Add(new CallerRule(m.Kind, m.Value, tenants, actions));
            }
        }

        return problems.Count > 0 ? throw new ConfigurationException(problems) : new CallerPolicy(rules);
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex KeyNamePattern();

    [GeneratedRegex("^[\\x21-\\x7E]{1,256}$")]
    private static partial Regex RolePattern();

    private static (CallerMatchKind Kind, string Value)? ParseMatch(string name, string at, List<string> problems)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        var prefix = colon < 0 ? name : name[..colon];
        var value = colon < 0 ? string.Empty : name[(colon + 1)..];
        (CallerMatchKind Kind, bool Valid)? parsed = prefix switch
        {
            "key" => (CallerMatchKind.Key, KeyNamePattern().IsMatch(value)),
            "role" => (CallerMatchKind.Role, RolePattern().IsMatch(value)),
            "group" => (CallerMatchKind.Group, Guid.TryParseExact(value, "D", out _)),
            "oid" => (CallerMatchKind.Oid, Guid.TryParseExact(value, "D", out _)),
            _ => null,
        };
        switch (parsed)
        {
            case null:
                problems.Add($"{at}: the name must start with key:, role:, group: or oid:");
                return null;
            case { Valid: false } p:
                problems.Add($"{at}: {p.Kind switch { CallerMatchKind.Key => "a key name is 1-64 characters of A-Z a-z 0-9 _ . -", CallerMatchKind.Role => "a role is 1-256 printable characters without spaces", _ => "must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)" }}");
                return null;
            default:
                return (parsed.Value.Kind, value);
        }
    }

    private static IReadOnlyList<string>? ParseTenants(JsonElement rule, string at, HashSet<string> known, List<string> problems)
    {
        if (!rule.TryGetProperty("tenants", out var tenants))
        {
            problems.Add($"{at}.tenants: required (\"*\" or a list of tenant keys)");
            return null;
        }

        if (tenants.ValueKind == JsonValueKind.String && tenants.GetString() == CallerRule.AllTenants)
        {
            return [CallerRule.AllTenants];
        }

        if (tenants.ValueKind != JsonValueKind.Array || tenants.GetArrayLength() == 0 || tenants.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
        {
            problems.Add($"{at}.tenants: must be \"*\" or a non-empty list of tenant keys");
            return null;
        }

        var keys = tenants.EnumerateArray().Select(t => t.GetString()!).Distinct(StringComparer.Ordinal).ToList();
        foreach (var key in keys.Where(k => !known.Contains(k)))
        {
            problems.Add($"{at}.tenants: '{Printable(key)}' is not a configured tenant");
        }

        return keys.All(known.Contains) ? keys : null;
    }

    private static ActionTier ParseActions(JsonElement rule, string at, List<string> problems)
    {
        if (!rule.TryGetProperty("actions", out var actions))
        {
            return ActionTier.Read;
        }

        switch (actions.ValueKind == JsonValueKind.String ? actions.GetString() : null)
        {
            case "read":
                return ActionTier.Read;
            case "respond":
                return ActionTier.Respond;
            case "live_response":
                return ActionTier.LiveResponse;
            default:
                problems.Add($"{at}.actions: must be read, respond or live_response");
                return ActionTier.Read;
        }
    }

    // Problem lines go to stderr: keep them on one line and short.
    private static string Printable(string text) =>
        new([.. text.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
}
