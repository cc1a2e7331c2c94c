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

    /// <summary>
    /// The lines written after byte <paramref name="offset"/> of <paramref name="path"/> (by another process on the same
    /// file) and the hash of the last of them; empty when there are none.
    /// </summary>
    public static (long Lines, string LastHash) CountAndLastHashFrom(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        long count = 0;
        string? last = null;
        while (reader.ReadLine() is { } line)
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
    /// must carry the hash of the line before it, except an <c>audit_resumed</c> line, which follows lines that reached
    /// only stderr: it must name the hash of the line before it (<c>missing_after=</c>, or for a first line the archive's
    /// last) and is reported as a gap, with its size and hash range. An <c>audit_truncated</c> line (a restart found the
    /// file cut) chains like any line and is reported with what its head expected and what the file held.
    /// </summary>
    public static AuditChainCheck Check(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var expected = string.Empty;
        var number = 0;
        long count = 0;
        string? continuesFrom = null;
        string? previousFile = null;
        var gaps = new List<AuditGap>();
        var truncations = new List<AuditTruncation>();
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
                if (count == 0 && IsEvent(root, AuditLog.ContinuedEvent) && prev is { Length: 64 })
                {
                    continuesFrom = prev;
                    previousFile = Note(root, "previous_file=");
                }
                else if (IsEvent(root, AuditLog.ResumedEvent) && prev is { Length: 64 } && Gap(root, number, prev) is { } gap
                    && (count == 0 || gap.AfterHash == expected))
                {
                    if (count == 0)
                    {
                        continuesFrom = gap.AfterHash;
                        previousFile = Note(root, "previous_file=");
                    }

                    gaps.Add(gap);
                }
                else if (prev != expected)
                {
                    return new AuditChainCheck(number, count, expected, continuesFrom, previousFile, gaps);
                }
                else if (IsEvent(root, AuditTruncation.Event) && AuditTruncation.TryRead(root, number) is { } cut)
                {
                    truncations.Add(cut);
                }
            }
            catch (JsonException)
            {
                return new AuditChainCheck(number, count, expected, continuesFrom, previousFile, gaps);
            }

            expected = Hash(line);
            count++;
        }

        return new AuditChainCheck(null, count, expected, continuesFrom, previousFile, gaps) { Truncations = truncations };
    }

    private static bool IsEvent(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String && e.ValueEquals(name);

    // The gap a resumed line records, or null when it does not record one whole (then it is judged as any line).
    private static AuditGap? Gap(JsonElement root, int line, string lastHash) =>
        Note(root, "missing_after=") is { Length: 64 } after && Note(root, "missing_first=") is { Length: 64 } first
        && root.TryGetProperty("counts", out var counts) && counts.ValueKind == JsonValueKind.Object
        && counts.TryGetProperty(AuditLog.MissingLinesCount, out var missing) && missing.TryGetInt64(out var n) && n > 0
            ? new AuditGap(line, n, after, first, lastHash)
            : null;

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
