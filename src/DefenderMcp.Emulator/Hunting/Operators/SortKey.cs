namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary>One <c>by</c> expression of <c>sort</c>/<c>top</c>.</summary>
/// <param name="Eval">The key.</param>
/// <param name="Descending">Descending order (KQL's default).</param>
/// <param name="NullsFirst">Where nulls go: KQL puts them first ascending and last descending unless told.</param>
internal sealed record SortKey(Func<object?[], object?> Eval, bool Descending, bool NullsFirst);
