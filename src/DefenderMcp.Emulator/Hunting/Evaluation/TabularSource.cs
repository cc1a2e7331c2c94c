namespace DefenderMcp.Emulator.Hunting.Evaluation;

/// <summary>A tabular expression ready to run: its output columns and a lazy row stream (opened per run).</summary>
/// <param name="Schema">Output columns.</param>
/// <param name="Open">Starts a fresh enumeration of the rows.</param>
internal sealed record TabularSource(RowSchema Schema, Func<IEnumerable<object?[]>> Open);
