using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting.Evaluation;

/// <summary>The columns of a row set with a name → index lookup (KQL names are case-sensitive).</summary>
internal sealed class RowSchema
{
    private readonly Dictionary<string, int> indexes = new(StringComparer.Ordinal);

    public RowSchema(IReadOnlyList<HuntingColumnSchema> columns)
    {
        Columns = columns;
        for (var i = 0; i < columns.Count; i++)
        {
            indexes.TryAdd(columns[i].Name, i);
        }
    }

    /// <summary>A schema with no columns (the scope of <c>let</c> values).</summary>
    public static RowSchema Empty { get; } = new([]);

    public IReadOnlyList<HuntingColumnSchema> Columns { get; }

    public int Count => Columns.Count;

    public HuntingColumnSchema this[int index] => Columns[index];

    /// <summary>Index of the column named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => indexes.TryGetValue(name, out var index) ? index : -1;
}
