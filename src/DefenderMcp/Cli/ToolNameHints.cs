using DefenderMcp.Kql;

namespace DefenderMcp.Cli;

/// <summary>
/// "Did you mean" for a tool name <c>call</c> does not know: a near spelling (list_alert) or the tools that share its
/// words (run_hunting_query → query_advanced_hunting), so the fix is in the error line.
/// </summary>
public static class ToolNameHints
{
    /// <summary>At most three tool names close to <paramref name="name"/>, best first; none when nothing is close.</summary>
    public static IReadOnlyList<string> For(string name, IEnumerable<string> tools)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tools);
        var typed = (name.Length > 64 ? name[..64] : name).ToLowerInvariant();
        var words = typed.Split('_', '-', ' ').Where(w => w.Length > 2).ToHashSet(StringComparer.Ordinal);
        var scored = tools
            .Select(t => (Tool: t, Typo: EditDistance.Between(typed, t) <= 2, Shared: t.Split('_').Count(words.Contains)))
            .Where(x => x.Typo || x.Shared > 0)
            .OrderByDescending(x => x.Typo).ThenByDescending(x => x.Shared).ThenBy(x => x.Tool, StringComparer.Ordinal)
            .ToList();
        var best = scored.FirstOrDefault();
        return [.. scored.Where(x => x.Typo == best.Typo && x.Shared == best.Shared).Take(3).Select(x => x.Tool)];
    }
}
