using System.Text.Json;
using System.Text.RegularExpressions;

namespace DefenderMcp.Configuration;

/// <summary>
/// Finds member names given twice in one JSON object. <see cref="JsonDocument"/> keeps both: enumeration sees two
/// rules where the operator meant one, and a lookup takes one silently, so a repeated rule or field could widen
/// access unnoticed. The hand-edited settings files refuse them, naming the JSON path.
/// </summary>
internal static partial class DuplicateNames
{
    /// <summary>
    /// One problem line per repeated name under <paramref name="root"/>. Names that are not plain words are shown
    /// quoted (when <paramref name="quoteNames"/>) or by their position, for files whose text must never be echoed.
    /// </summary>
    public static List<string> Find(JsonElement root, bool quoteNames)
    {
        var problems = new List<string>();
        Walk(root, "$", quoteNames, problems);
        return problems;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex PlainName();

    private static void Walk(JsonElement element, string path, bool quoteNames, List<string> problems)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var index = 0;
                foreach (var property in element.EnumerateObject())
                {
                    var at = path + Segment(property.Name, index++, quoteNames);
                    if (!seen.Add(property.Name))
                    {
                        problems.Add($"{at}: given more than once; keep one (JSON readers disagree on which one counts)");
                        continue;
                    }

                    Walk(property.Value, at, quoteNames, problems);
                }

                break;
            case JsonValueKind.Array:
                var item = 0;
                foreach (var value in element.EnumerateArray())
                {
                    Walk(value, $"{path}[{item++}]", quoteNames, problems);
                }

                break;
            default:
                break;
        }
    }

    private static string Segment(string name, int index, bool quoteNames) =>
        PlainName().IsMatch(name) ? "." + name
        : quoteNames ? $"[\"{new string([.. name.Take(80).Select(c => char.IsControl(c) || c == '"' ? '?' : c)])}\"]"
        : $"(entry {index})";
}
