namespace DefenderMcp.Kql.Schema;

/// <summary>One advanced hunting table from the documented schema.</summary>
/// <param name="Name">Table name, e.g. <c>DeviceProcessEvents</c>.</param>
/// <param name="Purpose">A one-line description of what the table holds.</param>
/// <param name="Columns">Columns in documented order.</param>
public sealed record HuntingTableSchema(string Name, string Purpose, IReadOnlyList<HuntingColumnSchema> Columns)
{
    /// <summary>Where the catalog departs from the table's page (a page error it corrects), or null.</summary>
    public string? Note { get; init; }

    /// <summary>Finds a column by exact name, or null.</summary>
    public HuntingColumnSchema? FindColumn(string name) =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));
}
