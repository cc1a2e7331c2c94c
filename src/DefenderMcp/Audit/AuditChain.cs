using System.Security.Cryptography;
using System.Text.Json;
using System.Text;

namespace DefenderMcp.Audit;

/// <summary>The hash chain over audit lines: each line's <c>prev_hash</c> is the SHA-256 (hex) of the line before it.</summary>
public static class AuditChain
{
    /// <summary>Lowercase hex SHA-256 of one line (without its newline).</summary>
    public static string Hash(string line) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line)));

    /// <summary>The number of non-empty lines of <paramref name="path"/> and the hash of the last one (0 and empty when none).</summary>
    public static (long Lines, string LastHash) CountAndLastHash(string path)
    {
        if (!File.Exists(path))
        {
            return (0, string.Empty);
        }

        long count = 0;
        string? last = null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length > 0)
            {
                count++;
                last = line;
            }
        }

        return (count, last is null ? string.Empty : Hash(last));
    }

    /// <summary>Checks the whole chain of a file; returns null when intact, else the 1-based line number that breaks it.</summary>
    public static int? Verify(IEnumerable<string> lines) => Check(lines).BrokenAt;

    /// <summary>
    /// Checks the chain of one file. Its first line starts the chain (<c>prev_hash</c> empty) or, in a rotated trail,
    /// is an <c>audit_continued</c> line whose <c>prev_hash</c> is the archive's last line's hash; every other line
    /// must carry the hash of the line before it.
    /// </summary>
    public static AuditChainCheck Check(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var expected = string.Empty;
        var number = 0;
        long count = 0;
        string? continuesFrom = null;
        string? previousFile = null;
        foreach (var line in lines)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                var prev = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("prev_hash", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                if (count == 0 && IsContinuation(root) && prev is { Length: 64 })
                {
                    continuesFrom = prev;
                    previousFile = Note(root, "previous_file=");
                }
                else if (prev != expected)
                {
                    return new AuditChainCheck(number, count, expected, continuesFrom, previousFile);
                }
            }
            catch (JsonException)
            {
                return new AuditChainCheck(number, count, expected, continuesFrom, previousFile);
            }

            expected = Hash(line);
            count++;
        }

        return new AuditChainCheck(null, count, expected, continuesFrom, previousFile);
    }

    private static bool IsContinuation(JsonElement root) =>
        root.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String && e.ValueEquals(AuditLog.ContinuedEvent);

    private static string? Note(JsonElement root, string prefix)
    {
        if (!root.TryGetProperty("notes", out var notes) || notes.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var note in notes.EnumerateArray())
        {
            if (note.ValueKind == JsonValueKind.String && note.GetString() is { } text && text.StartsWith(prefix, StringComparison.Ordinal))
            {
                return text[prefix.Length..];
            }
        }

        return null;
    }
}
