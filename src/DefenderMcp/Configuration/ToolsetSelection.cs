namespace DefenderMcp.Configuration;

/// <summary>
/// Which toolsets (areas) the server lists, from <c>--toolsets</c> or <c>DEFENDER_MCP_TOOLSETS</c>: a comma-separated
/// list of names, or <c>all</c>. Null in <see cref="ServerSettings.Toolsets"/> means the default (see docs/configuration.md).
/// </summary>
public static class ToolsetSelection
{
    /// <summary>The environment variable that names the toolsets.</summary>
    public const string Variable = "DEFENDER_MCP_TOOLSETS";

    /// <summary>The name that selects every toolset.</summary>
    public const string All = "all";

    /// <summary>
    /// Parses <paramref name="value"/> against the <paramref name="known"/> names; null or blank gives null (the default).
    /// An unknown name is a problem that lists the known ones, so a typo fails at start instead of hiding a whole area.
    /// </summary>
    public static IReadOnlySet<string>? Parse(string? value, IReadOnlyCollection<string> known, string source, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(problems);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var before = problems.Count;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = part.ToLowerInvariant();
            if (name == All)
            {
                names.UnionWith(known);
            }
            else if (known.Contains(name))
            {
                names.Add(name);
            }
            else
            {
                var shown = name.Length > 32 ? name[..32] + "…" : name;
                problems.Add($"{source}: unknown toolset '{shown}'; use {string.Join(", ", known)} or {All}");
            }
        }

        if (names.Count == 0 && problems.Count == before)
        {
            problems.Add($"{source}: name at least one toolset ({string.Join(", ", known)} or {All})");
        }

        return names;
    }
}
