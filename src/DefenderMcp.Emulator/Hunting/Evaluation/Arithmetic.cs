namespace DefenderMcp.Emulator.Hunting.Evaluation;

/// <summary>Binds <c>+ - * / %</c> by operand types, as KQL types them (long / long stays long).</summary>
internal static class Arithmetic
{
    public static Scalar Bind(char op, Scalar left, Scalar right)
    {
        var (type, apply) = Resolve(op, left.Type, right.Type)
            ?? throw new HuntingQueryException($"Operator '{op}' cannot be applied to {left.Type} and {right.Type}.");
        var l = left.Eval;
        var r = right.Eval;
        return Scalar.Fold(type, row => l(row) is { } a && r(row) is { } b ? apply(a, b) : null, left, right);
    }

    public static Scalar Negate(Scalar operand)
    {
        var eval = operand.Eval;
        Func<object, object?> negate = operand.Type switch
        {
            "long" => v => -KqlValues.ToLong(v)!.Value,
            "int" => v => -(int)v,
            "real" => v => -KqlValues.ToDouble(v)!.Value,
            "timespan" => v => -(TimeSpan)v,
            _ => throw new HuntingQueryException($"Operator '-' cannot be applied to {operand.Type}."),
        };
        return Scalar.Fold(operand.Type, row => eval(row) is { } v ? negate(v) : null, operand);
    }

    private static (string Type, Func<object, object, object?> Apply)? Resolve(char op, string a, string b)
    {
        var integral = a is "long" or "int" && b is "long" or "int";
        return (a, b, op) switch
        {
            ("int", "int", _) => ("int", (x, y) => Integral(op, (int)x, (int)y) is { } v ? (int)v : null),
            _ when integral => ("long", (x, y) => Integral(op, KqlValues.ToLong(x)!.Value, KqlValues.ToLong(y)!.Value)),
            _ when KqlValues.IsNumeric(a) && KqlValues.IsNumeric(b) => ("real", (x, y) => Real(op, KqlValues.ToDouble(x)!.Value, KqlValues.ToDouble(y)!.Value)),
            ("datetime", "timespan", '+') => ("datetime", (x, y) => (DateTime)x + (TimeSpan)y),
            ("timespan", "datetime", '+') => ("datetime", (x, y) => (DateTime)y + (TimeSpan)x),
            ("datetime", "timespan", '-') => ("datetime", (x, y) => (DateTime)x - (TimeSpan)y),
            ("datetime", "datetime", '-') => ("timespan", (x, y) => (DateTime)x - (DateTime)y),
            ("timespan", "timespan", '+') => ("timespan", (x, y) => (TimeSpan)x + (TimeSpan)y),
            ("timespan", "timespan", '-') => ("timespan", (x, y) => (TimeSpan)x - (TimeSpan)y),
            ("timespan", "timespan", '/') => ("real", (x, y) => (TimeSpan)y == TimeSpan.Zero ? null : (TimeSpan)x / (TimeSpan)y),
            ("timespan", _, '*') when KqlValues.IsNumeric(b) => ("timespan", (x, y) => (TimeSpan)x * KqlValues.ToDouble(y)!.Value),
            (_, "timespan", '*') when KqlValues.IsNumeric(a) => ("timespan", (x, y) => (TimeSpan)y * KqlValues.ToDouble(x)!.Value),
            ("timespan", _, '/') when KqlValues.IsNumeric(b) => ("timespan", (x, y) => KqlValues.ToDouble(y)!.Value == 0 ? null : (TimeSpan)x / KqlValues.ToDouble(y)!.Value),
            _ => null,
        };
    }

    private static long? Integral(char op, long x, long y) => op switch
    {
        '+' => unchecked(x + y),
        '-' => unchecked(x - y),
        '*' => unchecked(x * y),
        '/' => y == 0 ? null : x / y,
        _ => y == 0 ? null : x % y,
    };

    private static double Real(char op, double x, double y) => op switch
    {
        '+' => x + y,
        '-' => x - y,
        '*' => x * y,
        '/' => x / y,
        _ => x % y,
    };
}
