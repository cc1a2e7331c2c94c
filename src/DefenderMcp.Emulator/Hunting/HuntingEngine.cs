using DefenderMcp.Emulator.Hunting.Parsing;
using DefenderMcp.Kql.Lexing;

namespace DefenderMcp.Emulator.Hunting;

/// <summary>
/// Runs the emulator's KQL subset over in-memory tables. Statements: scalar and tabular <c>let</c>, then one
/// tabular expression, which may start with a table, <c>union</c> or <c>search in (...)</c>. Operators: <c>where</c>,
/// <c>project</c>, <c>project-away</c>/<c>project-keep</c>/<c>project-reorder</c> (with wildcards), <c>project-rename</c>, <c>extend</c>, <c>take</c>/<c>limit</c>,
/// <c>top</c>, <c>sort</c>/<c>order by</c>, <c>summarize</c> (count, countif, dcount, dcountif, sum, avg, min, max,
/// make_set, make_list, make_set_if, make_list_if, take_any, arg_max, arg_min), <c>distinct</c>, <c>count</c>,
/// <c>join</c> (every flavor), <c>lookup</c>, <c>union</c>, <c>mv-expand</c>, <c>search</c>; the functions
/// <c>invoke FileProfile()</c>, <c>invoke DeviceFromIP()</c> and <c>AssignedIPAddresses()</c>; dynamic member access
/// (<c>x.name</c>, <c>x['name']</c>, <c>x[0]</c>). Anything else is a <see cref="HuntingQueryException"/> naming what
/// is unsupported.
/// </summary>
/// <remarks>
/// The query is compiled to delegates before any row is read (so name and type errors cost nothing), then runs as a
/// lazy row stream: <c>take</c> stops reading early and only <c>sort</c>, <c>top</c>, <c>summarize</c> and
/// <c>distinct</c> buffer, plus the right side of <c>join</c>/<c>lookup</c> (at most <see cref="MaxJoinBuildRows"/> rows).
/// </remarks>
public static class HuntingEngine
{
    /// <summary>The most rows a result holds (the API's limit); further rows are dropped.</summary>
    public const int MaxRows = 100_000;

    /// <summary>
    /// The most rows the build side of a <c>join</c> or <c>lookup</c> (its right side, and the distinct left keys of an
    /// innerunique join) may hold; more is a <see cref="HuntingQueryException"/>, so one query cannot exhaust memory.
    /// </summary>
    public const int MaxJoinBuildRows = 250_000;

    /// <summary>
    /// Runs <paramref name="query"/> over <paramref name="tables"/>. Rows of tables with a datetime
    /// <c>Timestamp</c> column are first limited to [<paramref name="windowStartUtc"/>, <paramref name="nowUtc"/>]
    /// (the API's Timespan); <c>ago(x)</c> is <paramref name="nowUtc"/> - x and <c>now()</c> is <paramref name="nowUtc"/>.
    /// </summary>
    /// <param name="query">KQL text (untrusted).</param>
    /// <param name="tables">Tables by exact (case-sensitive) name.</param>
    /// <param name="windowStartUtc">Start of the time window.</param>
    /// <param name="nowUtc">The query's "now" and the end of the time window.</param>
    /// <returns>The result schema and at most <see cref="MaxRows"/> rows.</returns>
    /// <exception cref="HuntingQueryException">The query is malformed, names something unknown or uses what the emulator does not support.</exception>
    public static HuntingQueryResult Execute(string query, IReadOnlyDictionary<string, HuntingTable> tables, DateTime windowStartUtc, DateTime nowUtc) =>
        Execute(query, tables, windowStartUtc, nowUtc, nowUtc);

    /// <summary>
    /// Runs <paramref name="query"/> with a time window that may end before now (the API's
    /// <c>"start/end"</c> Timespan form): rows are limited to [<paramref name="windowStartUtc"/>,
    /// <paramref name="windowEndUtc"/>], while <c>ago()</c> and <c>now()</c> still use <paramref name="nowUtc"/>.
    /// </summary>
    /// <param name="query">KQL text (untrusted).</param>
    /// <param name="tables">Tables by exact (case-sensitive) name.</param>
    /// <param name="windowStartUtc">Start of the time window.</param>
    /// <param name="windowEndUtc">End of the time window.</param>
    /// <param name="nowUtc">The query's "now".</param>
    /// <returns>The result schema and at most <see cref="MaxRows"/> rows.</returns>
    /// <exception cref="HuntingQueryException">The query is malformed, names something unknown or uses what the emulator does not support.</exception>
    public static HuntingQueryResult Execute(string query, IReadOnlyDictionary<string, HuntingTable> tables, DateTime windowStartUtc, DateTime windowEndUtc, DateTime nowUtc) =>
        Execute(query, tables, windowStartUtc, windowEndUtc, nowUtc, MaxJoinBuildRows);

    /// <summary>
    /// As <see cref="Execute(string, IReadOnlyDictionary{string, HuntingTable}, DateTime, DateTime, DateTime)"/>, with the file facts
    /// <c>invoke FileProfile()</c> enriches from (the tenant's, so a hunt agrees with the file API).
    /// </summary>
    /// <param name="query">KQL text (untrusted).</param>
    /// <param name="tables">Tables by exact (case-sensitive) name.</param>
    /// <param name="windowStartUtc">Start of the time window.</param>
    /// <param name="windowEndUtc">End of the time window.</param>
    /// <param name="nowUtc">The query's "now".</param>
    /// <param name="fileProfiles">Looks a SHA1 or SHA256 up; null when the file is unknown.</param>
    /// <returns>The result schema and at most <see cref="MaxRows"/> rows.</returns>
    /// <exception cref="HuntingQueryException">The query is malformed, names something unknown or uses what the emulator does not support.</exception>
    public static HuntingQueryResult Execute(string query, IReadOnlyDictionary<string, HuntingTable> tables, DateTime windowStartUtc, DateTime windowEndUtc, DateTime nowUtc, Func<string, FileProfileFacts?> fileProfiles) =>
        Execute(query, tables, windowStartUtc, windowEndUtc, nowUtc, MaxJoinBuildRows, fileProfiles);

    /// <summary>As <see cref="Execute(string, IReadOnlyDictionary{string, HuntingTable}, DateTime, DateTime, DateTime)"/> with another build-side cap (tests).</summary>
    internal static HuntingQueryResult Execute(string query, IReadOnlyDictionary<string, HuntingTable> tables, DateTime windowStartUtc, DateTime windowEndUtc, DateTime nowUtc, int maxBuildRows, Func<string, FileProfileFacts?>? fileProfiles = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(tables);

        var lexed = KqlLexer.Tokenize(query);
        if (!lexed.Success)
        {
            throw new HuntingQueryException($"Syntax error: {lexed.Error} at position {lexed.ErrorOffset}.");
        }

        if (lexed.Tokens.FirstOrDefault(t => t.Kind == KqlTokenKind.Directive) is { } directive)
        {
            throw new HuntingQueryException($"Unsupported client directive '{directive.Text.Split(' ')[0]}' in the emulator.");
        }

        var scope = new QueryScope(tables, windowStartUtc, windowEndUtc, nowUtc, maxBuildRows, fileProfiles);
        var source = new QueryParser(new TokenReader(lexed.Tokens), scope).ParseQuery();

        var rows = new List<object?[]>();
        foreach (var row in source.Open())
        {
            if (rows.Count == MaxRows)
            {
                break;
            }

            rows.Add(row);
        }

        return new HuntingQueryResult(source.Schema.Columns, rows);
    }
}
