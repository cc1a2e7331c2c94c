namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary>One input of a <c>union</c>: where its rows come from and where each of its columns goes.</summary>
/// <param name="Open">Opens the leg's rows; null for the piped input (<c>T | union ...</c>).</param>
/// <param name="Name">The name <c>withsource</c> and <c>$table</c> report for its rows.</param>
/// <param name="Map">For each of the leg's columns, its output column index, or -1 when the output drops it.</param>
/// <param name="Identity">True when the leg's rows already are output rows (same columns, no source column).</param>
internal sealed record UnionLeg(Func<IEnumerable<object?[]>>? Open, string Name, int[] Map, bool Identity);
