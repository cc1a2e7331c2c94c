using System.Text.Json;

namespace DefenderMcp.Areas.Hunting;

/// <summary>A page of hunting rows cut from a cached or fresh result.</summary>
/// <param name="Columns">The columns of the page (all, or the projection).</param>
/// <param name="Rows">The rows, each an object keyed by column.</param>
/// <param name="Offset">Index of the first row.</param>
/// <param name="Total">Rows in the whole result.</param>
/// <param name="StoppedByBudget">True when the byte budget, not the limit, ended the page.</param>
public sealed record RowPage(IReadOnlyList<(string Name, string Type)> Columns, IReadOnlyList<JsonElement> Rows, int Offset, int Total, bool StoppedByBudget)
{
    /// <summary>The offset of the next page, or null at the end.</summary>
    public int? NextOffset => Offset + Rows.Count < Total ? Offset + Rows.Count : null;
}
