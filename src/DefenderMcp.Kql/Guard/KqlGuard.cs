using DefenderMcp.Kql.Lexing;

namespace DefenderMcp.Kql.Guard;

/// <summary>
/// The read-only KQL guard. It works on tokens, never on substrings, so text inside strings, comments and
/// quoted identifiers never triggers a refusal, and it fails closed (identifiers compare case-insensitively).
/// </summary>
public static class KqlGuard
{
    /// <summary>Longest query accepted.</summary>
    public const int MaxLength = 10_000;

    private static readonly HashSet<string> ForbiddenWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "externaldata", "external_data", "inline_external_table", "macro-expand",
    };

    private static readonly HashSet<string> ForbiddenFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "external_table", "cluster", "database", "workspace", "app", "resource", "adx", "arg", "stored_query_result",
    };

    private static readonly HashSet<string> ForbiddenStatements = new(StringComparer.OrdinalIgnoreCase)
    {
        "alias", "set", "declare", "restrict", "pattern",
    };

    /// <summary>Read-only analytics plugins that never reach outside the data.</summary>
    public static IReadOnlySet<string> AllowedPlugins { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "bag_unpack", "pivot", "narrow", "autocluster", "basket", "diffpatterns", "diffpatterns_text", "preview", "schema_merge",
        "ipv4_lookup", "ipv6_lookup", "rolling_percentile", "sequence_detect", "funnel_sequence", "funnel_sequence_completion",
        "activity_counts_metrics", "activity_engagement", "activity_metrics", "new_activity_metrics", "active_users_count",
        "session_count", "sliding_window_counts", "dcount_intersect", "rows_near",
    };

    /// <summary>Checks <paramref name="query"/>.</summary>
    public static KqlGuardResult Check(string query, KqlGuardOptions? options = null)
    {
        options ??= new KqlGuardOptions();
        if (string.IsNullOrWhiteSpace(query))
        {
            return Refuse("the query is empty");
        }

        if (query.Length > MaxLength)
        {
            return Refuse($"the query is longer than {MaxLength:N0} characters");
        }

        if (query.Any(c => char.IsControl(c) && c is not ('\t' or '\r' or '\n')))
        {
            return Refuse("the query contains control characters");
        }

        var lexed = KqlLexer.Tokenize(query);
        if (!lexed.Success)
        {
            return Refuse($"{lexed.Error} at offset {lexed.ErrorOffset}");
        }

        var tokens = lexed.Tokens;
        if (tokens.Count == 0)
        {
            return Refuse("the query has no statements");
        }

        var statementStart = true;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var next = i + 1 < tokens.Count ? tokens[i + 1] : null;
            if (token.Kind == KqlTokenKind.Directive)
            {
                return Refuse("client directives ('#...') are not allowed");
            }

            if (token.Is("<|"))
            {
                return Refuse("'<|' (management command input) is not allowed");
            }

            if (statementStart && token.Is("."))
            {
                return Refuse($"management commands ('.{(next?.Kind == KqlTokenKind.Identifier ? next.Text : string.Empty)}') are not allowed");
            }

            if (token.Is("|") && next is not null && next.Is("."))
            {
                return Refuse("management commands are not allowed");
            }

            if (token.Kind == KqlTokenKind.Identifier)
            {
                if (statementStart && ForbiddenStatements.Contains(token.Text))
                {
                    return Refuse($"'{token.Text.ToLowerInvariant()}' statements are not allowed");
                }

                if (ForbiddenWords.Contains(token.Text))
                {
                    return Refuse($"'{token.Text.ToLowerInvariant()}' (access to external data) is not allowed");
                }

                if (next is not null && next.Is("(") && ForbiddenFunctions.Contains(token.Text))
                {
                    return Refuse($"'{token.Text.ToLowerInvariant()}()' (cross-cluster or external access) is not allowed");
                }

                if (token.Text.Length > 2 && (token.Text.StartsWith("__", StringComparison.Ordinal) || token.Text.EndsWith("__", StringComparison.Ordinal)))
                {
                    return Refuse("reserved identifiers ('__...') are not allowed");
                }

                if (token.Is("evaluate") && PluginName(tokens, i + 1) is var plugin && (plugin is null || !AllowedPlugins.Contains(plugin)))
                {
                    return Refuse(plugin is null ? "'evaluate' without a plugin name" : $"'evaluate {Clip(plugin)}' is not an allowed plugin (only read-only analytics plugins are)");
                }
            }

            statementStart = token.Is(";");
        }

        return new KqlGuardResult(true, null, KqlWarnings.For(tokens, options));
    }

    private static string? PluginName(IReadOnlyList<KqlToken> tokens, int i)
    {
        // Skip hints: evaluate hint.distribution = per_node plugin(...)
        while (i + 4 < tokens.Count && tokens[i].Is("hint") && tokens[i + 1].Is(".") && tokens[i + 3].Is("="))
        {
            i += 5;
        }

        return i < tokens.Count && tokens[i].Kind is KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier ? tokens[i].Value : null;
    }

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static KqlGuardResult Refuse(string reason) => new(false, reason, []);
}
