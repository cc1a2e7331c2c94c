using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting;

/// <summary>An in-memory hunting table: typed columns and rows of values aligned with them.</summary>
/// <remarks>
/// Cell values by KQL type: <c>string</c> → <see cref="string"/>, <c>long</c> → <see cref="long"/>,
/// <c>int</c> → <see cref="int"/>, <c>bool</c> → <see cref="bool"/>, <c>datetime</c> → UTC <see cref="DateTime"/>,
/// <c>real</c> → <see cref="double"/>, <c>dynamic</c> → <see cref="string"/> holding JSON text, <c>guid</c> →
/// <see cref="string"/> holding its text form; null when empty.
/// </remarks>
public sealed class HuntingTable(string name, IReadOnlyList<HuntingColumnSchema> columns)
{
    /// <summary>Table name.</summary>
    public string Name { get; } = name;

    /// <summary>Columns, in order.</summary>
    public IReadOnlyList<HuntingColumnSchema> Columns { get; } = columns;

    /// <summary>Rows; each array has one cell per column.</summary>
    public List<object?[]> Rows { get; } = [];

    /// <summary>Index of the column with this exact name, or -1.</summary>
    public int ColumnIndex(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
