using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>The scalar functions the emulator knows; anything else is an error naming the function.</summary>
internal static class Functions
{
    private static readonly HashSet<string> AggregateNames = new(StringComparer.Ordinal)
    {
        "count", "countif", "dcount", "dcountif", "sum", "sumif", "avg", "avgif", "min", "max", "make_set", "make_list", "arg_max", "arg_min",
        "take_any", "any", "percentile", "percentiles", "stdev", "variance", "make_bag", "count_distinct", "make_set_if", "make_list_if",
    };

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "ago", "now", "tolower", "toupper", "isempty", "isnotempty", "isnull", "isnotnull", "strlen", "tostring", "toint", "tolong",
        "toreal", "todouble", "tobool", "toboolean", "todatetime", "todynamic", "parse_json", "bin", "floor", "iff", "iif", "strcat",
        "not", "substring", "replace_string", "coalesce", "startofday", "extract", "split", "array_length", "ipv4_is_private", "hourofday",
        "base64_decode_tostring", "base64_decodestring", "base64_encode_tostring", "base64_encodestring",
    };

    // Throws on bytes that are not UTF-8, so base64_decode_tostring can answer null as KQL does.
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Throws before the arguments are parsed when <paramref name="name"/> is not a function the emulator knows.</summary>
    public static void RequireKnown(string name)
    {
        if (Known.Contains(name))
        {
            return;
        }

        throw AggregateNames.Contains(name)
            ? new HuntingQueryException($"Aggregation function '{name}' can only be used in summarize.")
            : new HuntingQueryException($"Unsupported function '{name}' in the emulator.");
    }

    public static Scalar Bind(string name, IReadOnlyList<Scalar> args, DateTime now)
    {
        switch (name)
        {
            case "ago":
                Arity(name, args, 1);
                Require(name, args[0], "timespan");
                var span = args[0].Eval;
                return Scalar.Fold("datetime", row => span(row) is TimeSpan ts ? now - ts : null, args[0]);
            case "now":
                Arity(name, args, 0, 1);
                var offset = args.Count == 1 ? args[0].Eval : null;
                return Scalar.Fold("datetime", row => offset is null ? now : offset(row) is TimeSpan ts ? now + ts : null, [.. args]);
            case "tolower" or "toupper":
                Arity(name, args, 1);
                var lowerInput = args[0].Eval;
                var lower = name == "tolower";
                return Scalar.Fold("string", row => KqlValues.ToText(lowerInput(row)) is { } s ? (lower ? s.ToLowerInvariant() : s.ToUpperInvariant()) : null, args[0]);
            case "isempty" or "isnotempty":
                Arity(name, args, 1);
                var emptyInput = args[0].Eval;
                var wantEmpty = name == "isempty";
                return Scalar.FoldPredicate(row => wantEmpty == IsEmpty(emptyInput(row)), args[0]);
            case "isnull" or "isnotnull":
                Arity(name, args, 1);
                var nullInput = args[0].Eval;
                var wantNull = name == "isnull";
                return Scalar.FoldPredicate(row => wantNull == (nullInput(row) is null), args[0]);
            case "strlen":
                Arity(name, args, 1);
                var lengthInput = args[0].Eval;
                return Scalar.Fold("long", row => (long)(KqlValues.ToText(lengthInput(row))?.Length ?? 0), args[0]);
            case "tostring":
                Arity(name, args, 1);
                var textInput = args[0].Eval;
                return Scalar.Fold("string", row => KqlValues.ToText(textInput(row)) ?? string.Empty, args[0]);
            case "toint":
                return Convert(name, args, "int", v => KqlValues.ConvertToInt(v));
            case "tolong":
                return Convert(name, args, "long", v => KqlValues.ConvertToLong(v));
            case "toreal" or "todouble":
                return Convert(name, args, "real", v => KqlValues.ConvertToReal(v));
            case "tobool" or "toboolean":
                return Convert(name, args, "bool", v => KqlValues.ConvertToBool(v));
            case "todatetime":
                return Convert(name, args, "datetime", v => KqlValues.ConvertToDateTime(v));
            case "todynamic" or "parse_json":
                return Convert(name, args, "dynamic", v => KqlValues.ToText(v));
            case "bin" or "floor":
                Arity(name, args, 2);
                return Bin(name, args[0], args[1]);
            case "iff" or "iif":
                Arity(name, args, 3);
                ScalarParser.RequireBool(args[0], $"The first argument of '{name}'");
                var (condition, then, otherwise) = (args[0].Test, args[1].Eval, args[2].Eval);
                var type = KqlValues.Wider(args[1].Type, args[2].Type);
                return Scalar.Fold(type, row => KqlValues.Coerce(condition(row) ? then(row) : otherwise(row), type), args[0], args[1], args[2]);
            case "strcat":
                if (args.Count == 0)
                {
                    throw new HuntingQueryException("Function 'strcat' expects at least 1 argument.");
                }

                var parts = args.Select(a => a.Eval).ToArray();
                return Scalar.Fold("string", row => string.Concat(parts.Select(p => KqlValues.ToText(p(row)))), [.. args]);
            case "not":
                Arity(name, args, 1);
                ScalarParser.RequireBool(args[0], "The argument of 'not'");
                var operand = args[0].Test;
                return Scalar.FoldPredicate(row => !operand(row), args[0]);
            case "substring":
                Arity(name, args, 2, 3);
                return Substring(args);
            case "replace_string":
                Arity(name, args, 3);
                var (source, find, replacement) = (args[0].Eval, args[1].Eval, args[2].Eval);
                return Scalar.Fold(
                    "string",
                    row => KqlValues.ToText(find(row)) is { Length: > 0 } f
                        ? (KqlValues.ToText(source(row)) ?? string.Empty).Replace(f, KqlValues.ToText(replacement(row)), StringComparison.Ordinal)
                        : KqlValues.ToText(source(row)) ?? string.Empty,
                    args[0],
                    args[1],
                    args[2]);
            case "coalesce":
                if (args.Count < 2)
                {
                    throw new HuntingQueryException("Function 'coalesce' expects at least 2 arguments.");
                }

                var candidates = args.Select(a => a.Eval).ToArray();
                var widest = args.Skip(1).Aggregate(args[0].Type, (t, a) => KqlValues.Wider(t, a.Type));
                return Scalar.Fold(
                    widest,
                    row =>
                    {
                        foreach (var candidate in candidates)
                        {
                            if (candidate(row) is { } value && !IsEmpty(value))
                            {
                                return KqlValues.Coerce(value, widest);
                            }
                        }

                        return null;
                    },
                    [.. args]);
            case "startofday":
                Arity(name, args, 1);
                Require(name, args[0], "datetime");
                var day = args[0].Eval;
                return Scalar.Fold("datetime", row => day(row) is DateTime d ? d.Date : null, args[0]);
            case "extract":
                Arity(name, args, 3);
                return Extract(args);
            case "split":
                Arity(name, args, 2, 3);
                return Split(args);
            case "array_length":
                Arity(name, args, 1);
                var array = args[0].Eval;
                return Scalar.Fold("long", row => (long?)DynamicJson.Elements(array(row) as string)?.Count, args[0]);
            case "ipv4_is_private":
                Arity(name, args, 1);
                var address = args[0].Eval;
                return Scalar.Fold("bool", row => IsPrivateIPv4(KqlValues.ToText(address(row))), args[0]);
            case "hourofday":
                Arity(name, args, 1);
                Require(name, args[0], "datetime");
                var hour = args[0].Eval;
                return Scalar.Fold("int", row => hour(row) is DateTime d ? d.Hour : null, args[0]);
            case "base64_decode_tostring" or "base64_decodestring":
                Arity(name, args, 1);
                var encoded = args[0].Eval;
                return Scalar.Fold("string", row => DecodeBase64(KqlValues.ToText(encoded(row))), args[0]);
            case "base64_encode_tostring" or "base64_encodestring":
                Arity(name, args, 1);
                var plain = args[0].Eval;
                return Scalar.Fold("string", row => KqlValues.ToText(plain(row)) is { } text ? System.Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)) : null, args[0]);
        }

        if (AggregateNames.Contains(name))
        {
            throw new HuntingQueryException($"Aggregation function '{name}' can only be used in summarize.");
        }

        throw new HuntingQueryException($"Unsupported function '{name}' in the emulator.");
    }

    /// <summary>
    /// Base64 to text as <c>base64_decode_tostring()</c> does: null when the input is not base64 or the bytes are not
    /// UTF-8. UTF-16LE text (PowerShell's <c>-EncodedCommand</c>) is valid UTF-8 with a NUL after each ASCII letter, and
    /// stays so, as in KQL.
    /// </summary>
    private static string? DecodeBase64(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var bytes = new byte[((text.Length + 3) / 4) * 3];
        if (!System.Convert.TryFromBase64String(text, bytes, out var written))
        {
            return null;
        }

        try
        {
            return StrictUtf8.GetString(bytes, 0, written);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>True for null and the empty string, as <c>isempty()</c> sees them.</summary>
    public static bool IsEmpty(object? value) => value is null || value is string { Length: 0 };

    private static Scalar Convert(string name, IReadOnlyList<Scalar> args, string type, Func<object?, object?> convert)
    {
        Arity(name, args, 1);
        var input = args[0].Eval;
        return Scalar.Fold(type, row => convert(input(row)), args[0]);
    }

    private static Scalar Bin(string name, Scalar value, Scalar size)
    {
        var (v, s) = (value.Eval, size.Eval);
        Func<object, object, object?>? bin = (value.Type, size.Type) switch
        {
            ("datetime", "timespan") => (x, y) => (TimeSpan)y is { Ticks: > 0 } span ? new DateTime(Floor(((DateTime)x).Ticks, span.Ticks), DateTimeKind.Utc) : null,
            ("timespan", "timespan") => (x, y) => (TimeSpan)y is { Ticks: > 0 } span ? new TimeSpan(Floor(((TimeSpan)x).Ticks, span.Ticks)) : null,
            ("long", "long" or "int") => (x, y) => KqlValues.ToLong(y) is > 0 and var step ? Floor((long)x, step) : null,
            ("int", "long" or "int") => (x, y) => KqlValues.ToLong(y) is > 0 and var step ? (int)Floor((int)x, step) : null,
            ("real", _) or ("long" or "int", "real") when KqlValues.IsNumeric(size.Type) => (x, y) => KqlValues.ToDouble(y) is > 0 and var step ? Math.Floor(KqlValues.ToDouble(x)!.Value / step) * step : null,
            _ => null,
        };
        if (bin is null)
        {
            throw new HuntingQueryException($"Function '{name}' cannot bin {value.Type} by {size.Type}.");
        }

        var type = value.Type is "long" or "int" && size.Type == "real" ? "real" : value.Type;
        var folded = Scalar.Fold(type, row => v(row) is { } x && s(row) is { } y ? bin(x, y) : null, value, size);

        // KQL names bin(Timestamp, 1h) after its column, so "summarize ... by bin(Timestamp, 1h)" yields "Timestamp".
        return value.Name is { } column && !folded.IsConstant ? Scalar.Of(folded.Type, folded.Eval, column) : folded;
    }

    private static Scalar Extract(IReadOnlyList<Scalar> args)
    {
        var regex = Patterns.Compile(args[0], "The first argument of 'extract'");
        if (!args[1].IsConstant || KqlValues.ToLong(args[1].Value) is not { } group || group < 0)
        {
            throw new HuntingQueryException("The second argument of 'extract' must be a constant capture group number.");
        }

        var source = args[2].Eval;
        return Scalar.Fold(
            "string",
            row =>
            {
                var match = regex.Match(KqlValues.ToText(source(row)) ?? string.Empty);
                return match.Success && group < match.Groups.Count && match.Groups[(int)group].Success ? match.Groups[(int)group].Value : null;
            },
            args[2]);
    }

    private static Scalar Split(IReadOnlyList<Scalar> args)
    {
        var (source, delimiter) = (args[0].Eval, args[1].Eval);
        var index = args.Count > 2 ? args[2].Eval : null;
        return Scalar.Fold(
            "dynamic",
            row =>
            {
                var text = KqlValues.ToText(source(row)) ?? string.Empty;
                var separator = KqlValues.ToText(delimiter(row));
                string[] parts = string.IsNullOrEmpty(separator) ? [text] : text.Split(separator);
                if (index is null)
                {
                    return DynamicJson.Array(parts);
                }

                // With an index KQL returns a one-element array, or an empty one when out of range.
                var at = KqlValues.ToLong(index(row)) ?? -1;
                return DynamicJson.Array(at >= 0 && at < parts.Length ? [parts[at]] : []);
            },
            [.. args]);
    }

    private static bool? IsPrivateIPv4(string? text)
    {
        if (!System.Net.IPAddress.TryParse(text, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return null;
        }

        var b = address.GetAddressBytes();
        return b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168);
    }

    private static long Floor(long value, long step) => value - (((value % step) + step) % step);

    private static Scalar Substring(IReadOnlyList<Scalar> args)
    {
        var source = args[0].Eval;
        var start = args[1].Eval;
        var length = args.Count > 2 ? args[2].Eval : null;
        return Scalar.Fold(
            "string",
            row =>
            {
                var text = KqlValues.ToText(source(row)) ?? string.Empty;
                var from = (int)Math.Clamp(KqlValues.ToLong(start(row)) ?? 0, 0, text.Length);
                var count = length is null ? text.Length - from : (int)Math.Clamp(KqlValues.ToLong(length(row)) ?? 0, 0, text.Length - from);
                return text.Substring(from, count);
            },
            [.. args]);
    }

    private static void Arity(string name, IReadOnlyList<Scalar> args, int min, int? max = null)
    {
        var upper = max ?? min;
        if (args.Count < min || args.Count > upper)
        {
            var expected = min == upper ? $"{min}" : $"{min} to {upper}";
            throw new HuntingQueryException($"Function '{name}' expects {expected} argument(s), got {args.Count}.");
        }
    }

    private static void Require(string name, Scalar arg, string type)
    {
        if (arg.Type != type && arg.Type != "dynamic")
        {
            throw new HuntingQueryException($"Function '{name}' expects a {type} argument, not {arg.Type}.");
        }
    }
}
