namespace DefenderMcp.Areas.Hunting;

/// <summary>The seed server's <c>metadata</c> block, kept so that its users' prompts and scripts work unchanged.</summary>
/// <param name="RowCount">Rows the query returned upstream.</param>
/// <param name="ColumnCount">Columns in the schema.</param>
/// <param name="Timespan">The effective look-back, ISO-8601.</param>
public sealed record HuntingMetadata(int RowCount, int ColumnCount, string Timespan);
