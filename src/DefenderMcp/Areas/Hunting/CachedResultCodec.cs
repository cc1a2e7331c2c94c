using System.Text.Json;
using DefenderMcp.Client;
using DefenderMcp.Configuration;

namespace DefenderMcp.Areas.Hunting;

/// <summary>
/// Writes a cached hunting result as one JSON document for the shared store, and reads it back. Rows stay the raw
/// JSON they arrived as. The id is not in the document: it is the store's key, so a stored entry cannot claim another id.
/// </summary>
public static class CachedResultCodec
{
    private const int Version = 1;

    /// <summary>The entry as UTF-8 JSON: version, tenant, query, timespan, creation time, schema and rows.</summary>
    public static byte[] Encode(CachedHuntingResult entry)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WriteString("tenant", entry.Tenant);
            writer.WriteString("query", entry.Query);
            writer.WriteString("timespan", entry.Timespan);
            writer.WriteNumber("created", entry.CreatedAt.ToUnixTimeMilliseconds());
            writer.WriteNumber("body_bytes", entry.Result.BodyBytes);
            if (entry.Tier != ActionTier.Read)
            {
                writer.WriteString("tier", entry.Tier.ToString());
            }

            writer.WriteStartArray("schema");
            foreach (var column in entry.Result.Schema)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(column.Name);
                writer.WriteStringValue(column.Type);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("rows");
            foreach (var row in entry.Result.Rows)
            {
                writer.WriteRawValue(row.Span, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    // Absent for a hunt; a value this version does not know reads as the highest tier, never as open to all.
    private static ActionTier Tier(JsonElement root) =>
        !root.TryGetProperty("tier", out var tier) ? ActionTier.Read
        : tier.ValueKind == JsonValueKind.String && Enum.TryParse<ActionTier>(tier.GetString(), ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) ? parsed
        : ActionTier.LiveResponse;

    /// <summary>The entry stored under <paramref name="resultId"/>; null when the document is not one this version wrote.</summary>
    public static CachedHuntingResult? Decode(string resultId, byte[] encoded)
    {
        try
        {
            using var document = JsonDocument.Parse(encoded);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("v", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != Version)
            {
                return null;
            }

            var schema = root.GetProperty("schema").EnumerateArray().Select(c => new HuntingColumn(c[0].GetString()!, c[1].GetString()!)).ToList();
            var rows = new List<ReadOnlyMemory<byte>>(root.GetProperty("rows").GetArrayLength());
            foreach (var row in root.GetProperty("rows").EnumerateArray())
            {
                rows.Add(System.Text.Encoding.UTF8.GetBytes(row.GetRawText()));
            }

            return new CachedHuntingResult(
                resultId,
                root.GetProperty("tenant").GetString()!,
                root.GetProperty("query").GetString()!,
                root.GetProperty("timespan").GetString()!,
                new HuntingResult(schema, rows, root.GetProperty("body_bytes").GetInt64()),
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("created").GetInt64()),
                encoded.Length,
                Tier(root));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or FormatException)
        {
            return null;
        }
    }
}
