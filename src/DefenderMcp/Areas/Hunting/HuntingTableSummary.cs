namespace DefenderMcp.Areas.Hunting;

/// <summary>One table in the schema list.</summary>
public sealed record HuntingTableSummary(string Name, string Purpose, int ColumnCount);
