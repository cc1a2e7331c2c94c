using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting.Aggregates;

/// <summary>A bound aggregation: the output columns it fills and a factory for one group's state.</summary>
/// <param name="Columns">Output columns (one, or several for <c>arg_max</c>/<c>arg_min</c>).</param>
/// <param name="Create">Creates fresh state for a group.</param>
internal sealed record AggregateSpec(IReadOnlyList<HuntingColumnSchema> Columns, Func<Accumulator> Create);
