using System.Buffers;
using System.Text;
using System.Text.Json;

namespace DefenderMcp.Emulator.Hunting.Evaluation;

/// <summary>Dynamic values are JSON text (as in <see cref="HuntingTable"/>); this builds and reads that text.</summary>
internal static class DynamicJson
{
    /// <summary>Writes <paramref name="values"/> as a JSON array; <paramref name="elementsAreJson"/> embeds string cells as JSON.</summary>
    public static string Array(IEnumerable<object?> values, bool elementsAreJson = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                WriteValue(writer, value, elementsAreJson);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes one cell as a JSON value; <paramref name="isJson"/> marks text that is already JSON.</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value, bool isJson)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s when isJson && IsJson(s): writer.WriteRawValue(s, skipInputValidation: true); break;
            case string s: writer.WriteStringValue(s); break;
            case long l: writer.WriteNumberValue(l); break;
            case int i: writer.WriteNumberValue(i); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case bool b: writer.WriteBooleanValue(b); break;
            default: writer.WriteStringValue(KqlValues.ToText(value)); break;
        }
    }

    /// <summary>True when <paramref name="text"/> is one complete JSON value.</summary>
    public static bool IsJson(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        var first = text[0];
        if (first is not ('[' or '{' or '"' or '-' or 't' or 'f' or 'n') && !char.IsAsciiDigit(first))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// <c>value.name</c>, <c>value['name']</c> or <c>value[index]</c> on a dynamic cell: strings, numbers and booleans
    /// come back as plain cells, objects and arrays as JSON text, anything missing as null.
    /// </summary>
    public static object? Access(object? value, string? property, long index)
    {
        if (value is not string json || json.Length == 0 || json[0] is not ('{' or '['))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            JsonElement element;
            if (property is not null)
            {
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(property, out element))
                {
                    return null;
                }
            }
            else
            {
                var length = root.ValueKind == JsonValueKind.Array ? root.GetArrayLength() : 0;
                var at = index < 0 ? length + index : index;
                if (at < 0 || at >= length)
                {
                    return null;
                }

                element = root[(int)at];
            }

            return ToCell(element);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static object? ToCell(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number when element.TryGetInt64(out var l) => l,
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => element.GetRawText(),
    };

    /// <summary>The elements of a JSON array text as cells (string, long, real, bool, JSON text); null when not an array.</summary>
    public static List<object?>? Elements(string? json)
    {
        if (json is null || !IsJson(json))
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var values = new List<object?>();
        foreach (var element in document.RootElement.EnumerateArray())
        {
            values.Add(ToCell(element));
        }

        return values;
    }

    /// <summary>One property of a bag as <c>{"name": value}</c>, or as <c>["name", value]</c> when <paramref name="asArray"/>.</summary>
    public static string Property(string name, string rawValue, bool asArray)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (asArray)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(name);
            }
            else
            {
                writer.WriteStartObject();
                writer.WritePropertyName(name);
            }

            writer.WriteRawValue(rawValue, skipInputValidation: true);
            if (asArray)
            {
                writer.WriteEndArray();
            }
            else
            {
                writer.WriteEndObject();
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
