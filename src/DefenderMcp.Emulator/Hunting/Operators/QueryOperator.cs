using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary>One compiled tabular operator: it knows its output columns and transforms a row stream.</summary>
internal abstract class QueryOperator(RowSchema output)
{
    /// <summary>The columns of the rows <see cref="Run"/> yields.</summary>
    public RowSchema Output { get; } = output;

    /// <summary>Transforms <paramref name="input"/>; streaming operators stay lazy so <c>take</c> can stop early.</summary>
    public abstract IEnumerable<object?[]> Run(IEnumerable<object?[]> input);

    /// <summary>Chains this operator after <paramref name="source"/>.</summary>
    public TabularSource After(TabularSource source) => new(Output, () => Run(source.Open()));
}
