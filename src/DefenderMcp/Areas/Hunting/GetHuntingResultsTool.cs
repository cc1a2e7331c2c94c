using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Hunting;

/// <summary><c>get_hunting_results</c>: pages and projects a cached hunting result without calling the API again.</summary>
public sealed partial class GetHuntingResultsTool(ToolServices services) : DefenderTool(Spec, services)
{
    private static readonly ToolParameter ResultId = ToolParameter.String("result_id", "The result_id returned by query_advanced_hunting.", 64, "^hr_[A-Za-z0-9_-]{10,60}$").AsRequired();
    private static readonly ToolParameter Offset = ToolParameter.Integer("offset", "Index of the first row (default 0).", 0, 100_000, 0);
    private static readonly ToolParameter Limit = ToolParameter.Integer("limit", "Rows to return (default 100, at most 1000); the byte budget also applies.", 1, QueryAdvancedHuntingTool.MaxRowsLimit, QueryAdvancedHuntingTool.DefaultMaxRows);
    // No name pattern: a query can name a column anything (project ['a b']=1), so the names are matched against the
    // result's own columns below; the list reader still caps the length and refuses control characters.
    private static readonly ToolParameter Columns = ToolParameter.StringList("columns", "Only these columns (default: all).", 200, 128);

    // One tenant key, checked by the tenant selector: a result is only ever served to the tenant it belongs to.
    private static readonly ToolParameter Tenant = ToolParameter.Custom("tenant", () => Schema.String("Optional: the tenant the result must belong to. A result is never served to another tenant.", 64));

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_hunting_results",
        Title = "Page a hunting result",
        Description =
            "Returns more rows of an earlier query_advanced_hunting result, from the server-side cache, without " +
            "re-running the query (no API quota is used). Page with offset/limit and keep only the columns you need. " +
            "Results stay available for 30 minutes.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        OpenWorld = false,
        FanOut = false,
        ResultType = typeof(HuntingPageOutput),
        Parameters = [ResultId, Offset, Limit, Columns, Tenant],
    };

    /// <inheritdoc />
    protected override async Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var args = call.Arguments;
        var id = args.RequiredString(ResultId);
        var offset = args.Integer(Offset);
        var limit = args.Integer(Limit);
        var columns = args.OptionalStringList(Columns);
        var tenant = args.Has("tenant") ? SelectTenants(call).Tenants[0].Key : null;

        CachedHuntingResult? cached;
        try
        {
            cached = await Services.ResultCache.TryGetAsync(id, tenant, cancellationToken).ConfigureAwait(false);
        }
        catch (State.StateStoreException ex)
        {
            throw new ToolException(ErrorCodes.UpstreamError, ex.Message, TimeSpan.FromSeconds(30));
        }

        if (cached is null || !cached.IsReadableBy(GrantFor(call), Services.Settings))
        {
            // A result of a tenant the caller may not use, or above its tier there (a script's transcript), looks
            // exactly like a missing one.
            throw new ToolException(ErrorCodes.NotFound, "No such hunting result: it has expired (results are kept 30 minutes), was evicted, or belongs to another tenant. Run the query again (query_advanced_hunting), or, for a script's output, fetch it again with get_live_response_result.");
        }

        call.Selection ??= new Policy.TenantSelection([Services.Settings.FindTenant(cached.Tenant)!], false);
        if (columns is not null)
        {
            var known = cached.Result.Schema.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            var unknown = columns.Where(c => !known.Contains(c)).ToList();
            if (unknown.Count > 0)
            {
                // Column names are case-sensitive: a name that differs only in case gets its real spelling first, and
                // one given in KQL quotes (['a b']) its bare name.
                var cased = unknown.Select(u => known.FirstOrDefault(k => string.Equals(k, u, StringComparison.OrdinalIgnoreCase) || string.Equals(k, KqlUnquoted(u), StringComparison.Ordinal))).OfType<string>().Take(10).ToList();
                var hint = cased.Count > 0 ? $" Column names are case-sensitive and given without KQL quotes: did you mean {Names(cased)}?" : string.Empty;
                var real = cached.Result.Schema.Select(c => c.Name).Take(100).ToList();
                throw ToolException.InvalidInput($"Unknown column(s): {Names(unknown.Take(10))}.{hint} Columns: {Names(real)}.");
            }
        }

        var rows = cached.Result.Rows.Count;
        if (offset > 0 && offset >= rows)
        {
            // Refused rather than clamped to an empty last page: a model that guessed the offset learns the real end
            // and stops, instead of paging on through empty pages.
            throw ToolException.InvalidInput(PastTheEnd(offset, rows));
        }

        var budget = Services.Settings.HuntingByteBudget;
        var page = RowPager.Page(cached.Result, offset, limit, columns, budget);
        call.Count("returned_rows", page.Rows.Count);
        var notice = OversizedRowNotice.For(page, budget, cached.ResultId);
        return HuntingJson.ToNode(new HuntingPageOutput(
            cached.Tenant,
            cached.ResultId,
            [.. page.Columns.Select(c => new HuntingColumnOutput(c.Name, c.Type))],
            page.Rows,
            page.Offset,
            page.Rows.Count,
            page.Total,
            page.NextOffset,
            page.StoppedByBudget,
            [.. page.Skipped.Select(r => r.Offset)],
            notice is null ? [] : [notice],
            cached.Query));
    }

    /// <summary>Column names for a message: a plain identifier as is, any other (a space, a dash, a comma) JSON-quoted, so the list stays unambiguous.</summary>
    public static string Names(IEnumerable<string> names) =>
        string.Join(", ", names.Select(n => PlainIdentifier().IsMatch(n) ? n : $"\"{JsonEncodedText.Encode(n, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}\""));

    // ['a b'] or ["a b"] (how a query names such a column) read as a b.
    private static string? KqlUnquoted(string name) =>
        name.Length >= 4 && name[0] == '[' && name[^1] == ']' && name[1] is '\'' or '"' && name[^2] == name[1] ? name[2..^2] : null;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainIdentifier();

    /// <summary>The refusal of an offset at or past the end: how many rows there are and the last offset that has one.</summary>
    public static string PastTheEnd(int offset, int rows) => rows == 0
        ? $"offset {offset} is past the end of this result: it has no rows, so 0 is the only valid offset and there is nothing more to read."
        : $"offset {offset} is past the end of this result: it has {rows} row{(rows == 1 ? string.Empty : "s")}, so the last valid offset is {rows - 1}. A page whose next_offset is null is the last one; there is nothing more to read.";
}
