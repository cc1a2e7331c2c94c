using System.Buffers;
using System.Text.Json;

namespace DefenderMcp.Client.Parsing;

/// <summary>
/// Reads a runHuntingQuery response as a stream: each result row is sliced, as the bytes received, into its own
/// buffer the moment it is complete, so the body is never held twice nor loaded into a document. Accepts
/// <c>schema</c>/<c>results</c> in either casing and in either order.
/// </summary>
public static class HuntingResponseReader
{
    /// <summary>Largest body accepted.</summary>
    public const long MaxBodyBytes = 256L * 1024 * 1024;

    private enum Pending
    {
        None,
        Schema,
        Results,
        Skip,
    }

    /// <summary>Parses the whole response from <paramref name="stream"/>; a body over <paramref name="maxBodyBytes"/> is upstream_error.</summary>
    public static Task<HuntingResult> ReadAsync(Stream stream, CancellationToken cancellationToken, int initialBuffer = 64 * 1024, long maxBodyBytes = MaxBodyBytes) =>
        ReadAsync(stream, initialBuffer, maxBodyBytes, null, cancellationToken);

    /// <summary>The same, telling <paramref name="onParse"/> how many bytes each parse pass was given (for tests).</summary>
    internal static async Task<HuntingResult> ReadAsync(Stream stream, int initialBuffer, long maxBodyBytes, Action<int>? onParse, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(initialBuffer);
        try
        {
            var parser = new Parser();
            int start = 0, end = 0;
            long total = 0;
            var final = false;
            // Unconsumed bytes wanted before the next parse pass. A pass that stops in an incomplete value (a row, a
            // skipped member, a long string) starts again from that value's first byte, so passing after every read
            // would scan a value spread over n reads n times: quadratic, which a hostile 40 MB member turns into
            // minutes of CPU. Waiting until the unconsumed bytes have doubled scans it a logarithmic number of times.
            // A normal row is far smaller than one read, so its next pass comes with the next read, as before.
            var wanted = 0;
            while (true)
            {
                if (!final)
                {
                    if (end == buffer.Length)
                    {
                        // Keep only unconsumed bytes; grow when one token fills the buffer.
                        var remaining = end - start;
                        var target = remaining > buffer.Length / 2 ? ArrayPool<byte>.Shared.Rent(buffer.Length * 2) : buffer;
                        Buffer.BlockCopy(buffer, start, target, 0, remaining);
                        if (!ReferenceEquals(target, buffer))
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = target;
                        }

                        start = 0;
                        end = remaining;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                    final = read == 0;
                    end += read;
                    total += read;
                    if (total > maxBodyBytes)
                    {
                        throw new DefenderApiException(
                            DefenderErrorCode.UpstreamError,
                            "The hunting response is larger than the client accepts, so it was not read.",
                            advice: "Narrow the query (fewer rows or columns, a shorter timespan); the same query would be refused again.");
                    }

                    if (!final && end - start < wanted)
                    {
                        continue;
                    }
                }

                onParse?.Invoke(end - start);
                start += parser.Consume(buffer.AsSpan(start, end - start), final);
                if (parser.Done)
                {
                    break;
                }

                if (final)
                {
                    throw Malformed();
                }

                wanted = 2 * (end - start);
            }

            if (parser.Schema is null)
            {
                throw Malformed();
            }

            return new HuntingResult(parser.Schema, parser.Rows, total);
        }
        catch (JsonException)
        {
            throw Malformed();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static DefenderApiException Malformed() =>
        new(DefenderErrorCode.UpstreamError, "The hunting response was malformed.");

    private sealed class Parser
    {
        private JsonReaderState _state;
        private Pending _pending;
        private bool _inResults;

        public List<ReadOnlyMemory<byte>> Rows { get; } = [];

        public List<HuntingColumn>? Schema { get; private set; }

        public bool Done { get; private set; }

        /// <summary>Consumes whole tokens from <paramref name="data"/>; returns how many bytes were consumed.</summary>
        public int Consume(ReadOnlySpan<byte> data, bool final)
        {
            var reader = new Utf8JsonReader(data, final, _state);
            long consumed = 0;
            var checkpoint = _state;
            while (!Done)
            {
                checkpoint = reader.CurrentState;
                consumed = reader.BytesConsumed;
                if (!reader.Read())
                {
                    break;
                }

                if (!Handle(ref reader, data))
                {
                    // A value is not complete yet: rewind to before its first token and wait for more bytes.
                    _state = checkpoint;
                    return (int)consumed;
                }
            }

            _state = reader.CurrentState;
            return (int)reader.BytesConsumed;
        }

        private bool Handle(ref Utf8JsonReader reader, ReadOnlySpan<byte> data)
        {
            var depth = reader.CurrentDepth;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName when depth == 1:
                    var name = reader.GetString();
                    _pending = string.Equals(name, "schema", StringComparison.OrdinalIgnoreCase) ? Pending.Schema
                        : string.Equals(name, "results", StringComparison.OrdinalIgnoreCase) ? Pending.Results
                        : Pending.Skip;
                    return true;
                case JsonTokenType.StartArray when depth == 1 && _pending == Pending.Results:
                    _pending = Pending.None;
                    _inResults = true;
                    return true;
                case JsonTokenType.StartObject when depth == 2 && _inResults:
                    var rowStart = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip())
                    {
                        return false;
                    }

                    Rows.Add(data[rowStart..(int)reader.BytesConsumed].ToArray());
                    return true;
                case JsonTokenType.EndArray when depth == 1 && _inResults:
                    _inResults = false;
                    return true;
                case JsonTokenType.StartArray or JsonTokenType.StartObject when depth == 1 && _pending == Pending.Schema:
                    var schemaStart = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip())
                    {
                        return false;
                    }

                    Schema = ParseSchema(data[schemaStart..(int)reader.BytesConsumed]);
                    _pending = Pending.None;
                    return true;
                case JsonTokenType.StartArray or JsonTokenType.StartObject when depth == 1 && _pending == Pending.Skip:
                    if (!reader.TrySkip())
                    {
                        return false;
                    }

                    _pending = Pending.None;
                    return true;
                case JsonTokenType.EndObject when depth == 0:
                    Done = true;
                    return true;
                case JsonTokenType.StartObject when depth == 0:
                    return true;
                default:
                    if (depth == 0 || (depth == 2 && _inResults))
                    {
                        // A root that is not an object, or a row that is not an object.
                        throw Malformed();
                    }

                    _pending = Pending.None;
                    return true;
            }
        }

        private static List<HuntingColumn> ParseSchema(ReadOnlySpan<byte> json)
        {
            // Parsed once from a pooled copy: the caller has already skipped these bytes to find their end, and
            // ParseValue would skip them again before parsing them.
            var copy = ArrayPool<byte>.Shared.Rent(json.Length);
            try
            {
                json.CopyTo(copy);
                using var doc = JsonDocument.Parse(copy.AsMemory(0, json.Length));
                if (doc.RootElement.ValueKind != JsonValueKind.Array)
                {
                    throw Malformed();
                }

                var columns = new List<HuntingColumn>(doc.RootElement.GetArrayLength());
                foreach (var column in doc.RootElement.EnumerateArray())
                {
                    // A Kusto name has at most 1,024 characters and a type name a few: anything longer is not a column.
                    var name = Field(column, "name") is { Length: <= 1024 } n ? n : throw Malformed();
                    var type = Field(column, "type") ?? "Object";
                    if (type.Length > 64)
                    {
                        throw Malformed();
                    }

                    columns.Add(new HuntingColumn(name, type));
                }

                return columns;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }

        private static string? Field(JsonElement element, string name)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                {
                    return property.Value.GetString();
                }
            }

            return null;
        }
    }
}
