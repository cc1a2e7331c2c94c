using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// The emulator's hunting tables take their documented columns and types from the shared catalog; the few
/// <c>guid</c> columns (AIAgentsInfo, DataSecurityEvents) hold their text form and are typed string here, as the
/// emulator's KQL engine compares guids as strings.
/// </summary>
public static class HuntingColumns
{
    /// <summary>Columns by table.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<HuntingColumnSchema>> ByTable { get; } =
        HuntingSchemaCatalog.Tables.ToDictionary(
            t => t.Name,
            t => (IReadOnlyList<HuntingColumnSchema>)[.. t.Columns.Select(c => c.Type == "guid" ? c with { Type = "string" } : c)],
            StringComparer.Ordinal);
}
