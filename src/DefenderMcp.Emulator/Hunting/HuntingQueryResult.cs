using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting;

/// <summary>The output of a hunting query: a schema and rows (same cell conventions as <see cref="HuntingTable"/>).</summary>
public sealed record HuntingQueryResult(IReadOnlyList<HuntingColumnSchema> Schema, IReadOnlyList<object?[]> Rows);
