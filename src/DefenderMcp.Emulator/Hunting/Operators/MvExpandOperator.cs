using System.Text.Json;
using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary>
/// <c>mv-expand</c>: one output row per element of a dynamic array (or property of a bag), the other columns copied.
/// Several expressions expand in parallel (the longest decides, missing elements are empty); an empty array or bag
/// yields no row, a null or scalar value one row. Streams: memory is one input row's elements.
/// </summary>
internal sealed class MvExpandOperator(RowSchema output, MvExpansion[] expansions, int indexColumn, long limit) : QueryOperator(output)
{
    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input)
    {
        var width = Output.Count;
        var elements = new List<object?>[expansions.Length];
        foreach (var row in input)
        {
            var count = 0;
            for (var e = 0; e < expansions.Length; e++)
            {
                elements[e] = Elements(expansions[e].Eval(row), expansions[e].BagAsArray);
                count = Math.Max(count, elements[e].Count);
            }

            for (var i = 0; i < Math.Min(count, limit); i++)
            {
                var result = new object?[width];
                Array.Copy(row, result, Math.Min(row.Length, width));
                for (var e = 0; e < expansions.Length; e++)
                {
                    result[expansions[e].Target] = i < elements[e].Count ? expansions[e].Cast(elements[e][i]) : null;
                }

                if (indexColumn >= 0)
                {
                    result[indexColumn] = (long)i;
                }

                yield return result;
            }
        }
    }

    private static List<object?> Elements(object? value, bool bagAsArray)
    {
        if (value is not string json || json.Length == 0 || json[0] is not ('[' or '{') || !DynamicJson.IsJson(json))
        {
            // Null, and scalars (a dynamic string or number), are one element.
            return [value];
        }

        if (json[0] == '[')
        {
            return DynamicJson.Elements(json)!;
        }

        using var document = JsonDocument.Parse(json);
        var properties = new List<object?>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            properties.Add(DynamicJson.Property(property.Name, property.Value.GetRawText(), bagAsArray));
        }

        return properties;
    }
}
