using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Data;

/// <summary>The emulator's hunting tables take their documented columns and types from the shared catalog.</summary>
public static class HuntingColumns
{
    /// <summary>Columns by table.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<HuntingColumnSchema>> ByTable { get; } =
        HuntingSchemaCatalog.Tables.ToDictionary(t => t.Name, t => t.Columns, StringComparer.Ordinal);
}
