using DefenderMcp.Kql.Lexing;

namespace DefenderMcp.Kql.Guard;

/// <summary>Advice returned with a result; never blocks a query.</summary>
public static class KqlWarnings
{
    /// <summary>Warnings for an allowed query.</summary>
    public static IReadOnlyList<string> For(IReadOnlyList<KqlToken> tokens, KqlGuardOptions options)
    {
        var warnings = new List<string>();
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if ((tokens[i].Is("search") || tokens[i].Is("union")) && tokens[i + 1].Is("*"))
            {
                warnings.Add($"'{tokens[i].Text.ToLowerInvariant()} *' scans every table: it is slow and costly on quota; name the tables you need.");
                break;
            }
        }

        if (options.Timespan > TimeSpan.FromDays(7) && !HasTimeFilter(tokens))
        {
            warnings.Add($"No time filter in the query while the timespan is {options.Timespan.TotalDays:0.#} days: add 'where Timestamp > ago(...)' to cut cost and noise.");
        }

        return warnings;
    }

    private static bool HasTimeFilter(IReadOnlyList<KqlToken> tokens) =>
        tokens.Any(t => t.Kind == KqlTokenKind.Identifier && (t.Is("Timestamp") || t.Is("ago") || t.Is("between") || t.Is("TimeGenerated")));
}
