using DefenderMcp.Kql.Lexing;

namespace DefenderMcp.Kql.Guard;

/// <summary>
/// The read-only KQL guard (DESIGN.md §7, defender-api.md §5). It works on tokens, never on substrings, so text inside
/// strings, comments and quoted identifiers never triggers a refusal; it compares identifiers ignoring case (fails
/// closed) and refusal messages name the construct without echoing the query.
/// </summary>
/// <remarks>
/// Refused: an empty query; more than <see cref="MaxLength"/> characters; control characters other than tab, CR and LF;
/// lone surrogates; any lexical error (unterminated string, multi-line string or goo literal, bad escape, a character
/// outside the language); a management command (a statement whose first token starts with <c>.</c>, at the start or
/// after any <c>;</c>, or a <c>.</c> right after <c>|</c>); <c>$command_results</c>; any <c>#</c> directive; <c>&lt;|</c>;
/// <c>externaldata</c>, <c>external_data</c>, <c>inline_external_table</c>, <c>macro-expand</c> anywhere; calls of
/// <c>external_table</c>, <c>cluster</c>, <c>database</c>, <c>workspace</c>, <c>app</c>, <c>resource</c>, <c>adx</c>,
/// <c>arg</c>, <c>stored_query_result</c> (also through a quoted name such as <c>['cluster'](…)</c>); the statements
/// <c>alias</c>, <c>set</c>, <c>declare</c>, <c>restrict</c>, <c>pattern</c>; identifiers starting or ending with
/// <c>__</c>; <c>evaluate</c> with a plugin outside <see cref="AllowedPlugins"/> (hints are skipped to find the name).
/// </remarks>
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

    // Command verbs (defender-api.md §5.1), only to name the refused command; any '.' statement is refused.
    private static readonly HashSet<string> CommandVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "add", "alter", "append", "apply", "attach", "cancel", "clean", "clear", "create", "define", "delete", "detach", "disable",
        "drop", "dup", "enable", "execute", "export", "ingest", "make", "merge", "move", "purge", "rename", "replace", "set",
        "set-or-append", "set-or-replace", "show", "shuffle", "undo", "update",
    };

    // Plugins that call out or run code (defender-api.md §5.2); named in full in the refusal. Refused anyway by the allowlist.
    private static readonly HashSet<string> KnownCalloutPlugins = new(StringComparer.OrdinalIgnoreCase)
    {
        "http_request", "http_request_post", "sql_request", "mysql_request", "postgresql_request", "cosmosdb_sql_request",
        "azure_digital_twins_query_request", "ai_embeddings", "ai_chat_completion", "ai_chat_completion_prompt", "python", "r",
        "infer_storage_schema", "infer_storage_schema_with_suggestions",
    };

    /// <summary>Read-only analytics plugins that never reach outside the data; every other plugin is refused.</summary>
    public static IReadOnlySet<string> AllowedPlugins { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "bag_unpack", "pivot", "narrow", "autocluster", "basket", "diffpatterns", "diffpatterns_text", "preview", "schema_merge",
        "ipv4_lookup", "ipv6_lookup", "rolling_percentile", "sequence_detect", "funnel_sequence", "funnel_sequence_completion",
        "activity_counts_metrics", "activity_engagement", "activity_metrics", "new_activity_metrics", "active_users_count",
        "session_count", "sliding_window_counts", "dcount_intersect", "rows_near",
    };

    /// <summary>Checks <paramref name="query"/>: refuses what could leave the data or change state, and adds warnings.</summary>
    /// <param name="query">The KQL text, exactly as it would be sent.</param>
    /// <param name="options">Context for the warnings (the query's timespan); defaults when null.</param>
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

        if (query.Any(KqlLexicon.IsForbiddenControl))
        {
            return Refuse("the query contains control characters");
        }

        if (HasLoneSurrogate(query))
        {
            return Refuse("the query is not valid Unicode text");
        }

        var lexed = KqlLexer.Tokenize(query);
        if (!lexed.Success)
        {
            return Refuse($"{lexed.Error} at offset {lexed.ErrorOffset}");
        }

        var tokens = lexed.Tokens;
        if (tokens.Count == 0)
        {
            return Refuse("the query has no statements (only comments)");
        }

        var statementStart = true;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (Violation(query, tokens, i, statementStart) is { } rejection)
            {
                return Refuse(rejection);
            }

            statementStart = tokens[i].Is(";");
        }

        return new KqlGuardResult(true, null, KqlWarnings.For(tokens, options));
    }

    private static string? Violation(string query, IReadOnlyList<KqlToken> tokens, int i, bool statementStart)
    {
        var token = tokens[i];
        var next = i + 1 < tokens.Count ? tokens[i + 1] : null;
        var callsNext = next is not null && next.Is("(");
        switch (token.Kind)
        {
            case KqlTokenKind.Directive:
                return "client directives ('#...') are not allowed";
            case KqlTokenKind.Punctuation when token.Text == "<|":
                return "'<|' (management command input) is not allowed";
            case KqlTokenKind.Punctuation when statementStart && token.Text.StartsWith('.'):
                return CommandRejection(next);
            case KqlTokenKind.Punctuation when token.Text == "|" && next is { Kind: KqlTokenKind.Punctuation } && next.Text.StartsWith('.'):
                return CommandRejection(i + 2 < tokens.Count ? tokens[i + 2] : null);
            case KqlTokenKind.Punctuation when token.Text == "." && IsCommandDot(query, tokens, i):
                return CommandRejection(next);
            case KqlTokenKind.QuotedIdentifier when callsNext && ForbiddenFunctions.Contains(token.Value):
                // ['cluster']('x') must not reach the function the bare name would.
                return $"'{token.Value.ToLowerInvariant()}()' (cross-cluster, cross-workspace or external access) is not allowed, quoted or not";
            case KqlTokenKind.QuotedIdentifier when callsNext && IsReserved(token.Value):
                return "reserved identifiers (starting or ending with '__') are not allowed";
            case KqlTokenKind.Identifier:
                return IdentifierViolation(tokens, i, statementStart, callsNext);
            default:
                return null;
        }
    }

    private static string? IdentifierViolation(IReadOnlyList<KqlToken> tokens, int i, bool statementStart, bool callsNext)
    {
        var token = tokens[i];
        if (statementStart && ForbiddenStatements.Contains(token.Text))
        {
            return $"'{token.Text.ToLowerInvariant()}' statements are not allowed";
        }

        if (ForbiddenWords.Contains(token.Text))
        {
            return $"'{token.Text.ToLowerInvariant()}' (access to external data) is not allowed";
        }

        if (callsNext && ForbiddenFunctions.Contains(token.Text))
        {
            return $"'{token.Text.ToLowerInvariant()}()' (cross-cluster, cross-workspace or external access) is not allowed";
        }

        if (token.Is("$command_results"))
        {
            return "'$command_results' (management command output) is not allowed";
        }

        if (IsReserved(token.Text))
        {
            return "reserved identifiers (starting or ending with '__') are not allowed";
        }

        if (token.Is("evaluate"))
        {
            var plugin = PluginName(tokens, i + 1);
            if (plugin is null)
            {
                return "'evaluate' without a plugin name is not allowed";
            }

            if (KnownCalloutPlugins.Contains(plugin))
            {
                return $"'evaluate {plugin}' (calls out of the service or runs code) is not allowed";
            }

            if (!AllowedPlugins.Contains(plugin))
            {
                return $"the plugin 'evaluate {Clip(plugin)}' is not allowed (only read-only analytics plugins are)";
            }
        }

        return null;
    }

    private static bool IsReserved(string name) =>
        name.Length >= 2 && (name.StartsWith("__", StringComparison.Ordinal) || name.EndsWith("__", StringComparison.Ordinal));

    // A '.' is member access only right after an operand (x.y, f(x).y, a[0].y). Anywhere else it starts a command:
    // inside union (...), a let body { ... }, after a literal. After an operand but on a new line, it is a command when
    // a command verb follows: a newline does not end a statement, but `T\n.show tables` reads as one to a person.
    private static bool IsCommandDot(string query, IReadOnlyList<KqlToken> tokens, int i)
    {
        var previous = tokens[i - 1];
        var operand = previous.Kind is KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier || previous.Is(")") || previous.Is("]");
        if (!operand)
        {
            return true;
        }

        var gap = query.AsSpan(previous.Start + previous.Text.Length, tokens[i].Start - previous.Start - previous.Text.Length);
        return gap.ContainsAny('\n', '\r') && i + 1 < tokens.Count && tokens[i + 1].Kind == KqlTokenKind.Identifier && CommandVerbs.Contains(tokens[i + 1].Text);
    }

    private static string CommandRejection(KqlToken? verb) =>
        verb is { Kind: KqlTokenKind.Identifier } && CommandVerbs.Contains(verb.Text)
            ? $"management commands ('.{verb.Text.ToLowerInvariant()}') are not allowed"
            : "management commands ('.' at the start of a statement) are not allowed";

    private static string? PluginName(IReadOnlyList<KqlToken> tokens, int i)
    {
        // Skip hints: evaluate hint.distribution = per_node hint.remote = auto plugin(...)
        while (i + 4 < tokens.Count && tokens[i].Is("hint") && tokens[i + 1].Is(".") && tokens[i + 3].Is("="))
        {
            i += 5;
        }

        return i < tokens.Count && tokens[i].Kind is KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier ? tokens[i].Value : null;
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var k = 0; k < text.Length; k++)
        {
            if (char.IsHighSurrogate(text[k]) && k + 1 < text.Length && char.IsLowSurrogate(text[k + 1]))
            {
                k++;
            }
            else if (char.IsSurrogate(text[k]))
            {
                return true;
            }
        }

        return false;
    }

    // An unknown plugin name is user text: keep a few safe characters of it, never more.
    private static string Clip(string value)
    {
        const int Keep = 16;
        var safe = new string([.. value.Take(Keep).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' ? c : '?')]);
        return value.Length <= Keep ? safe : safe + "...";
    }

    private static KqlGuardResult Refuse(string reason) => new(false, reason, []);
}
