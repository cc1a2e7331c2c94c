namespace DefenderMcp.Emulator.Hunting;

/// <summary>A compiled scalar expression: its KQL type and how to evaluate it on a row.</summary>
/// <param name="Type">KQL result type.</param>
/// <param name="Eval">Evaluates on a row of the current table.</param>
/// <param name="Name">A column name when the expression is a plain column reference or a named function.</param>
public sealed record Expr(string Type, Func<object?[], object?> Eval, string? Name = null);
