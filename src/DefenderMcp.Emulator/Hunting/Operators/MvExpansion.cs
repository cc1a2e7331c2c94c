namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary>One expanded expression of <c>mv-expand</c>.</summary>
/// <param name="Eval">The dynamic value to expand.</param>
/// <param name="Target">The output column the elements go to.</param>
/// <param name="Cast">Turns an element into the column's type (<c>to typeof(T)</c>); a non-conforming element becomes null.</param>
/// <param name="BagAsArray">Property bags expand to <c>[key, value]</c> arrays (<c>kind=array</c>) instead of one-property bags.</param>
internal sealed record MvExpansion(Func<object?[], object?> Eval, int Target, Func<object?, object?> Cast, bool BagAsArray);
