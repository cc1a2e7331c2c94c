using System.Text.Json;
using System.Text.Json.Serialization;

namespace DefenderMcp.Mcp;

/// <summary>
/// Writes every time of a result in UTC with a <c>Z</c>, as Defender and Graph send them and as hunting rows and
/// machine actions already show them, so one moment reads the same in every tool (an alert's
/// <c>created_date_time</c> was <c>+00:00</c> while the hunting row of that alert said <c>Z</c>). Reads any offset.
/// </summary>
public sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime);
    }
}
