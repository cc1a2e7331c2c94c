using System.Text.Json;

namespace DefenderMcp.Areas.Hunting;

/// <summary>A page of a cached hunting result.</summary>
/// <param name="Tenant">The tenant the result belongs to.</param>
/// <param name="ResultId">The handle that was paged.</param>
/// <param name="Schema">Columns of this page (the projection, if one was asked).</param>
/// <param name="Rows">The rows of the page.</param>
/// <param name="Offset">Index of the first row.</param>
/// <param name="ReturnedRows">Rows in this page.</param>
/// <param name="RowCount">Rows in the whole result.</param>
/// <param name="NextOffset">Offset of the next page, or null at the end; never <paramref name="Offset"/> again.</param>
/// <param name="StoppedByBudget">True when the byte budget ended the page before the limit.</param>
/// <param name="SkippedRows">Offsets of rows left out because each alone is over the byte budget (they lead the page; the returned rows follow them).</param>
/// <param name="Notices">Why rows were skipped and how to read them.</param>
/// <param name="Query">The query that produced the result.</param>
public sealed record HuntingPageOutput(
    string Tenant,
    string ResultId,
    IReadOnlyList<HuntingColumnOutput> Schema,
    IReadOnlyList<JsonElement> Rows,
    int Offset,
    int ReturnedRows,
    int RowCount,
    int? NextOffset,
    bool StoppedByBudget,
    IReadOnlyList<int> SkippedRows,
    IReadOnlyList<string> Notices,
    string Query);
