using System.Globalization;
using DefenderMcp.Emulator.Hunting.Evaluation;
using DefenderMcp.Kql.Lexing;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>Number and "goo" literals (<c>datetime(...)</c>, <c>long(...)</c>, ...).</summary>
internal static class Literals
{
    public static Scalar Number(KqlToken token)
    {
        var text = token.Text;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex)
                ? Scalar.Constant("long", hex)
                : throw new HuntingQueryException($"Invalid number literal '{text}'.");
        }

        if (text.AsSpan().IndexOfAny('.', 'e', 'E') >= 0)
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
                ? Scalar.Constant("real", real)
                : throw new HuntingQueryException($"Invalid number literal '{text}'.");
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? Scalar.Constant("long", number)
            : throw new HuntingQueryException($"Invalid number literal '{text}'.");
    }

    public static Scalar Goo(KqlToken token)
    {
        var word = token.Text[..token.Text.IndexOf('(', StringComparison.Ordinal)];
        // Tolerate a quoted inner text (datetime("2024-01-01")); the lexer keeps everything up to ')'.
        var inner = token.Value.Trim();
        if (inner.Length >= 2 && inner[0] is '"' or '\'' && inner[^1] == inner[0])
        {
            inner = inner[1..^1];
        }

        var type = word switch
        {
            "datetime" or "date" => "datetime",
            "timespan" or "time" => "timespan",
            "long" or "int64" => "long",
            "int" or "int32" => "int",
            "real" or "double" or "decimal" => "real",
            "bool" or "boolean" => "bool",
            // A guid literal is of type guid in Kusto; its value is kept as the canonical text, as guid cells are.
            "guid" => "guid",
            _ => throw new HuntingQueryException($"Unsupported literal '{word}(...)' in the emulator."),
        };
        if (inner == "null")
        {
            return Scalar.Constant(type, null);
        }

        object? value = type switch
        {
            "datetime" => KqlValues.ParseDateTime(inner),
            "timespan" => KqlValues.ParseTimespan(inner),
            "long" => long.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null,
            "int" => int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : null,
            "real" => double.TryParse(inner, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
            "bool" => inner is "true" or "True" or "TRUE" or "1" ? true : inner is "false" or "False" or "FALSE" or "0" ? false : null,
            _ => Guid.TryParse(inner, out var g) ? g.ToString("D") : null,
        };
        return Scalar.Constant(type, value ?? throw new HuntingQueryException($"Invalid {word} literal '{token.Text}'."));
    }
}
