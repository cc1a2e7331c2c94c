using System.Globalization;
using System.Text.Json;

namespace DefenderMcp.Emulator.Hunting;

/// <summary>Writes a hunting result in the shape of Graph's runHuntingQuery response.</summary>
public static class HuntingResultWriter
{
    /// <summary>Writes the whole response object.</summary>
    public static void Write(Utf8JsonWriter writer, HuntingQueryResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults");
        writer.WriteStartArray("schema");
        foreach (var column in result.Schema)
        {
            writer.WriteStartObject();
            writer.WriteString("name", column.Name);
            writer.WriteString("type", ApiType(column.Type));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("results");
        var names = result.Schema.Select(c => JsonEncodedText.Encode(c.Name)).ToArray();
        foreach (var row in result.Rows)
        {
            writer.WriteStartObject();
            for (var i = 0; i < names.Length; i++)
            {
                writer.WritePropertyName(names[i]);
                WriteValue(writer, row[i], result.Schema[i].Type);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The API's type name for a KQL type.</summary>
    public static string ApiType(string kqlType) => kqlType switch
    {
        "datetime" => "DateTime",
        "string" => "String",
        "long" => "Int64",
        "int" => "Int32",
        "bool" => "Boolean",
        "real" => "Double",
        "timespan" => "TimeSpan",
        _ => "Object",
    };

    private static void WriteValue(Utf8JsonWriter writer, object? value, string type)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s when type == "dynamic" && s.Length > 0 && (s[0] == '[' || s[0] == '{'): writer.WriteRawValue(s, skipInputValidation: false); break;
            case string s: writer.WriteStringValue(s); break;
            case long l: writer.WriteNumberValue(l); break;
            case int n: writer.WriteNumberValue(n); break;
            case double d: writer.WriteNumberValue(d); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case DateTime dt: writer.WriteStringValue(dt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)); break;
            case TimeSpan ts: writer.WriteStringValue(ts.ToString("c", CultureInfo.InvariantCulture)); break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }
}
