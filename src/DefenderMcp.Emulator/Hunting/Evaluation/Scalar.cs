namespace DefenderMcp.Emulator.Hunting.Evaluation;

/// <summary>
/// A compiled scalar expression: its KQL type and a delegate that evaluates it on a row. Constants are folded at
/// compile time, so <c>Timestamp &gt; ago(1d)</c> computes <c>ago(1d)</c> once, not once per row.
/// </summary>
internal sealed class Scalar
{
    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    private Scalar(string type, Func<object?[], object?> eval, Func<object?[], bool>? test, string? name, bool isConstant, object? value, int column = -1)
    {
        Column = column;
        Type = type;
        Eval = eval;
        Test = test ?? (row => eval(row) is true);
        Name = name;
        IsConstant = isConstant;
        Value = value;
    }

    /// <summary>KQL type of the result: string, long, int, real, bool, datetime, timespan or dynamic.</summary>
    public string Type { get; }

    /// <summary>Evaluates on a row; cells follow <see cref="HuntingTable"/>'s conventions.</summary>
    public Func<object?[], object?> Eval { get; }

    /// <summary>Evaluates as a predicate without boxing (only true is true).</summary>
    public Func<object?[], bool> Test { get; }

    /// <summary>The column name this expression carries into a result when it is not renamed, or null.</summary>
    public string? Name { get; }

    /// <summary>The input column index when this is a plain column reference (a copy, no evaluation needed), else -1.</summary>
    public int Column { get; }

    /// <summary>True when the value does not depend on the row.</summary>
    public bool IsConstant { get; }

    /// <summary>The value of a constant.</summary>
    public object? Value { get; }

    /// <summary>A reference to the column at <paramref name="index"/>.</summary>
    public static Scalar ColumnRef(string type, int index, string name) => new(type, row => row[index], null, name, false, null, index);

    /// <summary>A row-dependent expression.</summary>
    public static Scalar Of(string type, Func<object?[], object?> eval, string? name = null) => new(type, eval, null, name, false, null);

    /// <summary>A boolean expression evaluated without boxing.</summary>
    public static Scalar Predicate(Func<object?[], bool> test) => new("bool", row => Box(test(row)), test, null, false, null);

    /// <summary>A constant.</summary>
    public static Scalar Constant(string type, object? value) => value is bool b
        ? new(type, _ => Box(b), _ => b, null, true, value)
        : new(type, _ => value, _ => false, null, true, value);

    /// <summary>A row-dependent expression, folded to a constant when every input is constant.</summary>
    public static Scalar Fold(string type, Func<object?[], object?> eval, params ReadOnlySpan<Scalar> inputs) =>
        AllConstant(inputs) ? Constant(type, eval([])) : Of(type, eval);

    /// <summary>A predicate, folded to a constant when every input is constant.</summary>
    public static Scalar FoldPredicate(Func<object?[], bool> test, params ReadOnlySpan<Scalar> inputs) =>
        AllConstant(inputs) ? Constant("bool", test([])) : Predicate(test);

    /// <summary>A shared boxed boolean, so predicates do not allocate.</summary>
    public static object Box(bool value) => value ? BoxedTrue : BoxedFalse;

    private static bool AllConstant(ReadOnlySpan<Scalar> inputs)
    {
        foreach (var input in inputs)
        {
            if (!input.IsConstant)
            {
                return false;
            }
        }

        return true;
    }
}
