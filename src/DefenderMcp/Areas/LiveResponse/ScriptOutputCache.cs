using System.Buffers;
using System.Text.Json;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Client;
using DefenderMcp.Configuration;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary>
/// Keeps a script's whole transcript in the server's result cache (the one hunting results live in: bounded, 30
/// minutes, bound to its tenant, shared across replicas), so the model pages it with <c>get_hunting_results</c> by its
/// <c>result_id</c> instead of downloading it again. One row per line, columns <c>Stream</c> (<c>output</c>, then
/// <c>errors</c>), <c>Line</c> (1-based within its stream) and <c>Text</c>; a line longer than
/// <see cref="MaxRowChars"/> continues on further rows with the same line number.
/// </summary>
public static class ScriptOutputCache
{
    /// <summary>Most characters of one row's text.</summary>
    public const int MaxRowChars = 2000;

    private static readonly HuntingColumn[] Columns = [new("Stream", "string"), new("Line", "int"), new("Text", "string")];

    /// <summary>Stores <paramref name="transcript"/> for <paramref name="tenant"/>; its result_id, or null when it is larger than the whole cache.</summary>
    public static async Task<string?> StoreAsync(HuntingResultCache cache, string tenant, string actionId, int index, string? script, LiveResponseScriptResult transcript, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(transcript);
        var rows = new List<ReadOnlyMemory<byte>>();
        AddLines(rows, "output", transcript.Output);
        AddLines(rows, "errors", transcript.Errors);
        var source = $"live response {actionId} command {index}: {script ?? "script"} (output lines)";
        var entry = await cache.AddAsync(tenant, source, string.Empty, new HuntingResult(Columns, rows, rows.Sum(r => (long)r.Length)), ActionTier.LiveResponse, cancellationToken).ConfigureAwait(false);
        return entry?.ResultId;
    }

    private static void AddLines(List<ReadOnlyMemory<byte>> rows, string stream, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        var lines = text.Split('\n');
        var count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var start = 0;
            do
            {
                rows.Add(Row(stream, i + 1, line.Substring(start, Math.Min(MaxRowChars, line.Length - start))));
                start += MaxRowChars;
            }
            while (start < line.Length);
        }
    }

    private static ReadOnlyMemory<byte> Row(string stream, int line, string text)
    {
        var buffer = new ArrayBufferWriter<byte>(text.Length + 48);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("Stream", stream);
            writer.WriteNumber("Line", line);
            writer.WriteString("Text", text);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
