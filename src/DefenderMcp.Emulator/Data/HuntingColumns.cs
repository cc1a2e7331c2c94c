using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// The emulator's hunting tables take their documented columns and types from the shared catalog, as they are: the few
/// <c>guid</c> columns (AIAgentsInfo, DataSecurityEvents) stay guid, so a query's schema reports them <c>Guid</c>, as
/// the catalog says the service does; their cells hold the text form, which the KQL engine compares as text.
/// </summary>
public static class HuntingColumns
{
    /// <summary>Columns by table.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<HuntingColumnSchema>> ByTable { get; } =
        HuntingSchemaCatalog.Tables.ToDictionary(
            t => t.Name,
            t => t.Columns,
            StringComparer.Ordinal);
}
