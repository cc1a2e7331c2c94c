using System.Text.Json;
using DefenderMcp.Client;

namespace DefenderMcp.Areas.Hunting;

/// <summary>Cuts a page out of a hunting result: offset, limit, optional column projection, within a byte budget.</summary>
public static class RowPager
{
    /// <summary>The page; <paramref name="columns"/> must already be validated against the schema.</summary>
    public static RowPage Page(HuntingResult result, int offset, int limit, IReadOnlyList<string>? columns, int byteBudget)
    {
        var total = result.Rows.Count;
        var start = Math.Min(offset, total);
        var count = Math.Min(limit, total - start);
        IReadOnlyList<ReadOnlyMemory<byte>> candidates = [.. Slice(result.Rows, start, count)];
        var schema = result.Schema.Select(c => (c.Name, c.Type)).ToList();
        if (columns is not null)
        {
            var wanted = new HashSet<string>(columns, StringComparer.Ordinal);
            schema = [.. schema.Where(c => wanted.Contains(c.Name))];
            candidates = [.. candidates.Select(r => Project(r, wanted))];
        }

        var fit = RowBudget.Fit(candidates, count, byteBudget);
        var rows = new JsonElement[fit];
        for (var i = 0; i < fit; i++)
        {
            using var doc = JsonDocument.Parse(candidates[i]);
            rows[i] = doc.RootElement.Clone();
        }

        return new RowPage(schema, rows, start, total, fit < count);
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Slice(IReadOnlyList<ReadOnlyMemory<byte>> rows, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            yield return rows[i];
        }
    }

    private static ReadOnlyMemory<byte> Project(ReadOnlyMemory<byte> row, HashSet<string> wanted)
    {
        using var doc = JsonDocument.Parse(row);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(row.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (wanted.Contains(property.Name))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
