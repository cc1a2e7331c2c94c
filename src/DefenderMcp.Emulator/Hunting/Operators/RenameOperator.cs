using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary><c>project-rename</c>: new column names, the same cells (rows pass through untouched).</summary>
internal sealed class RenameOperator(RowSchema output) : QueryOperator(output)
{
    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input) => input;
}
