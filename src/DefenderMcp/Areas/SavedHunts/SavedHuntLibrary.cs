using System.Text.RegularExpressions;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary>
/// Loads saved hunts from a folder of <c>.kql</c> files. Each file starts with <c>// key: value</c> header lines
/// (name, description, timespan, tenants, techniques); the rest is the query.
/// </summary>
public sealed partial class SavedHuntLibrary
{
    private readonly Dictionary<string, SavedHunt> _hunts;

    private SavedHuntLibrary(Dictionary<string, SavedHunt> hunts, IReadOnlyList<string> problems)
    {
        _hunts = hunts;
        Problems = problems;
    }

    /// <summary>Files that could not be loaded, by file name and reason.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>All hunts, by name.</summary>
    public IReadOnlyList<SavedHunt> All => [.. _hunts.Values.OrderBy(h => h.Name, StringComparer.Ordinal)];

    /// <summary>The folder shipped with the server (the starter pack).</summary>
    public static string BundledFolder => Path.Combine(AppContext.BaseDirectory, "Hunts");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    internal static partial Regex NamePattern();

    /// <summary>A hunt by exact name, or null.</summary>
    public SavedHunt? Find(string name) => _hunts.GetValueOrDefault(name);

    /// <summary>
    /// The hunt of that name if <paramref name="grant"/> may see it (<see cref="IsVisibleTo"/>), else null, exactly as
    /// for a name that does not exist, so a caller cannot learn of a hunt made for another customer.
    /// </summary>
    public SavedHunt? Find(string name, CallerGrant grant) => Find(name) is { } hunt && IsVisibleTo(hunt, grant) ? hunt : null;

    /// <summary>The hunts <paramref name="grant"/> may see, by name.</summary>
    public IReadOnlyList<SavedHunt> VisibleTo(CallerGrant grant) => [.. All.Where(h => IsVisibleTo(h, grant))];

    /// <summary>
    /// A hunt file may name tenants (a customer's, in an MSSP): a caller sees the hunt only when it names none or only
    /// tenants in the caller's grant. An unrestricted grant (stdio, or HTTP without a callers file) sees every hunt.
    /// </summary>
    public static bool IsVisibleTo(SavedHunt hunt, CallerGrant grant)
    {
        ArgumentNullException.ThrowIfNull(hunt);
        ArgumentNullException.ThrowIfNull(grant);
        return grant.IsUnrestricted || hunt.Tenants.All(grant.Allows);
    }

    /// <summary>Loads every <c>.kql</c> file of <paramref name="folder"/> (a missing folder gives an empty library).</summary>
    public static SavedHuntLibrary Load(string folder)
    {
        var hunts = new Dictionary<string, SavedHunt>(StringComparer.Ordinal);
        var problems = new List<string>();
        if (!Directory.Exists(folder))
        {
            return new SavedHuntLibrary(hunts, problems);
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.kql").Order(StringComparer.Ordinal))
        {
            var fileName = Path.GetFileName(file);
            if (new FileInfo(file).Length > 64 * 1024)
            {
                problems.Add($"{fileName}: larger than 64 KB");
                continue;
            }

            var hunt = Parse(File.ReadAllText(file), Path.GetFileNameWithoutExtension(file), out var problem);
            if (hunt is null)
            {
                problems.Add($"{fileName}: {problem}");
            }
            else if (!hunts.TryAdd(hunt.Name, hunt))
            {
                problems.Add($"{fileName}: duplicate hunt name '{hunt.Name}'");
            }
        }

        return new SavedHuntLibrary(hunts, problems);
    }

    /// <summary>Parses one hunt file; null with <paramref name="problem"/> set when it is invalid.</summary>
    public static SavedHunt? Parse(string text, string defaultName, out string? problem)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var index = 0;
        for (; index < lines.Length; index++)
        {
            var line = lines[index].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var match = HeaderPattern().Match(line);
            if (!match.Success)
            {
                break;
            }

            headers[match.Groups[1].Value] = match.Groups[2].Value.Trim();
        }

        var query = string.Join('\n', lines[index..]).Trim();
        var name = headers.GetValueOrDefault("name") ?? defaultName;
        problem = null;
        if (!NamePattern().IsMatch(name))
        {
            problem = "name must be lowercase letters, digits and hyphens (at most 64)";
        }
        else if (query.Length == 0)
        {
            problem = "no query after the header";
        }
        else if (!headers.TryGetValue("description", out var description) || description.Length == 0)
        {
            problem = "a '// description:' header is required";
        }
        else
        {
            return new SavedHunt(
                name,
                description,
                query,
                headers.GetValueOrDefault("timespan") ?? "P7D",
                Split(headers.GetValueOrDefault("tenants")),
                Split(headers.GetValueOrDefault("techniques")));
        }

        return null;
    }

    private static IReadOnlyList<string> Split(string? value) =>
        value is null ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    [GeneratedRegex(@"^//\s*([a-zA-Z_]+)\s*:(.*)$")]
    private static partial Regex HeaderPattern();
}
