using System.Globalization;
using System.Text.Json;
using DefenderMcp.Emulator.Hunting.Evaluation;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting;

/// <summary>Writes a hunting result in the shape of Graph's runHuntingQuery response.</summary>
public static class HuntingResultWriter
{
    /// <summary>The response's <c>@odata.context</c>.</summary>
    public const string ODataContext = "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults";

    /// <summary>
    /// Writes the whole response object: <c>@odata.context</c>, <c>schema</c> (name and API type per column) and
    /// <c>results</c> (one object per row). Datetimes are ISO-8601 UTC with seven fractional digits; dynamic cells are
    /// written as the JSON they hold; nulls as null.
    /// </summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="result">The result to write.</param>
    public static void Write(Utf8JsonWriter writer, HuntingQueryResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);

        var schema = result.Schema;
        writer.WriteStartObject();
        writer.WriteString("@odata.context", ODataContext);
        writer.WriteStartArray("schema");
        foreach (var column in schema)
        {
            writer.WriteStartObject();
            writer.WriteString("name", column.Name);
            writer.WriteString("type", HuntingSchemaCatalog.ApiTypeName(column.Type));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        // Names are encoded once, not once per row.
        var names = new JsonEncodedText[schema.Count];
        var dynamic = new bool[schema.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = JsonEncodedText.Encode(schema[i].Name);
            dynamic[i] = schema[i].Type == "dynamic";
        }

        Span<char> date = stackalloc char[28];
        writer.WriteStartArray("results");
        foreach (var row in result.Rows)
        {
            writer.WriteStartObject();
            for (var i = 0; i < names.Length; i++)
            {
                writer.WritePropertyName(names[i]);
                var value = i < row.Length ? row[i] : null;
                switch (value)
                {
                    case string s when !dynamic[i]: writer.WriteStringValue(s); break;
                    case DateTime dt when (dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : dt).TryFormat(date, out var written, KqlValues.DateTimeFormat, CultureInfo.InvariantCulture):
                        writer.WriteStringValue(date[..written]);
                        break;
                    case double d when !double.IsFinite(d): writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture)); break;
                    default: DynamicJson.WriteValue(writer, value, dynamic[i]); break;
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
