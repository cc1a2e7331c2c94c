using DefenderMcp.Kql.Lexing;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>
/// The <c>name=value</c> parameters after an operator keyword (<c>kind=inner</c>, <c>withsource=T</c>,
/// <c>hint.strategy=broadcast</c>). Only the names an operator allows are read, so <c>mv-expand Name = Tags</c> is not
/// mistaken for a parameter; hints are accepted and ignored (they change execution, never results).
/// </summary>
internal static class OperatorParameters
{
    public static Dictionary<string, string> Parse(TokenReader reader, IReadOnlySet<string> allowed)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Peek is { Kind: KqlTokenKind.Identifier } name)
        {
            if (name.Text == "hint" && TokenReader.Matches(reader.PeekSecond, ".") && TokenReader.Matches(reader.PeekAt(3), "="))
            {
                reader.Next();
                reader.Next();
                reader.Next();
                reader.Next();
                Value(reader);
                continue;
            }

            if (!allowed.Contains(name.Text) || !TokenReader.Matches(reader.PeekSecond, "="))
            {
                break;
            }

            reader.Next();
            reader.Next();
            if (!parameters.TryAdd(name.Text, Value(reader)))
            {
                throw reader.Error($"'{name.Text}' is given twice");
            }
        }

        return parameters;
    }

    private static string Value(TokenReader reader) => reader.Peek?.Kind is KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier or KqlTokenKind.Number or KqlTokenKind.String
        ? reader.Next().Value
        : throw reader.Error("expected a parameter value");
}
