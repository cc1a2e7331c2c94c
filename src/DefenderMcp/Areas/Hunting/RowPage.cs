using System.Text.Json;

namespace DefenderMcp.Areas.Hunting;

/// <summary>A page of hunting rows cut from a cached or fresh result.</summary>
/// <param name="Columns">The columns of the page (all, or the projection).</param>
/// <param name="Rows">The rows, each an object keyed by column: the result's rows in order, from <paramref name="Offset"/> plus the skipped ones.</param>
/// <param name="Offset">Index of the first row the page covers.</param>
/// <param name="Total">Rows in the whole result.</param>
/// <param name="Covered">Rows the page covers, returned or skipped: at least one unless the page starts at the end (or the limit is 0), so paging always moves on.</param>
/// <param name="StoppedByBudget">True when the byte budget, not the limit, ended the page.</param>
/// <param name="Skipped">Rows left out because each alone is over the byte budget (they lead the page): offset and size as JSON.</param>
public sealed record RowPage(
    IReadOnlyList<(string Name, string Type)> Columns,
    IReadOnlyList<JsonElement> Rows,
    int Offset,
    int Total,
    int Covered,
    bool StoppedByBudget,
    IReadOnlyList<(int Offset, int Bytes)> Skipped)
{
    /// <summary>The offset of the next page, or null at the end; never <see cref="Offset"/> again, so a client following it always stops.</summary>
    public int? NextOffset => Offset + Covered < Total ? Offset + Covered : null;
}
