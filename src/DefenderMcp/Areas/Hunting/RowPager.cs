using System.Buffers;
using System.Text.Json;
using DefenderMcp.Client;

namespace DefenderMcp.Areas.Hunting;

/// <summary>Cuts a page out of a hunting result: offset, limit, optional column projection, within a byte budget.</summary>
public static class RowPager
{
    /// <summary>
    /// The page; <paramref name="columns"/> must already be validated against the schema. A row that alone is over
    /// <paramref name="byteBudget"/> can never be returned, so when the page would start with one it is skipped (named
    /// in <see cref="RowPage.Skipped"/>) and the page goes on with the rows after it: a page always moves on.
    /// </summary>
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

        // Only leading rows are skipped: an oversized row after a returned one ends the page and leads the next.
        var skipped = new List<(int Offset, int Bytes)>();
        while (skipped.Count < count && RowBudget.Fit([candidates[skipped.Count]], 1, byteBudget) == 0)
        {
            skipped.Add((start + skipped.Count, candidates[skipped.Count].Length));
        }

        var rest = candidates.Skip(skipped.Count).ToList();
        var fit = RowBudget.Fit(rest, count - skipped.Count, byteBudget);
        var covered = skipped.Count + fit;
        return new RowPage(schema, Parse(rest, fit), start, total, covered, covered < count, skipped);
    }

    // The first count rows as elements of one document: the rows joined as a JSON array and parsed once, instead of
    // one document per row copied out again.
    private static JsonElement[] Parse(IReadOnlyList<ReadOnlyMemory<byte>> rows, int count)
    {
        if (count == 0)
        {
            return [];
        }

        var length = 1 + count;
        for (var i = 0; i < count; i++)
        {
            length += rows[i].Length;
        }

        var joined = ArrayPool<byte>.Shared.Rent(length);
        JsonElement array;
        try
        {
            var at = 0;
            joined[at++] = (byte)'[';
            for (var i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    joined[at++] = (byte)',';
                }

                rows[i].Span.CopyTo(joined.AsSpan(at));
                at += rows[i].Length;
            }

            joined[at] = (byte)']';
            // Parse copies the bytes into a document that owns its memory (nothing pooled to give back), so its
            // elements can outlive this call, and reads them once; it refuses anything after the array, so a row that
            // is more than one JSON value cannot pass.
            array = JsonElement.Parse(joined.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(joined);
        }

        // A row holding "},{" would add elements: counted before any is taken.
        if (array.GetArrayLength() != count)
        {
            throw new JsonException("A hunting row is not one JSON value.");
        }

        var elements = new JsonElement[count];
        var index = 0;
        foreach (var row in array.EnumerateArray())
        {
            elements[index++] = row;
        }

        return elements;
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
