using System.Text.RegularExpressions;
using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>Compiles regex arguments: constant strings only, without backtracking (the pattern is untrusted; KQL's RE2 does not backtrack either).</summary>
internal static class Patterns
{
    public static Regex Compile(Scalar pattern, string where)
    {
        if (!pattern.IsConstant || pattern.Value is not string text)
        {
            throw new HuntingQueryException($"{where} needs a constant string pattern.");
        }

        try
        {
            return new Regex(text, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw new HuntingQueryException($"Invalid or unsupported regex '{text}': {ex.Message}");
        }
    }
}
