using System.Globalization;
using System.Text.Json;

namespace DefenderMcp.Audit;

/// <summary>
/// At start, the audit file does not reach what its head records: lines were cut from its end (or it was replaced or
/// removed) while no server was writing it. Without this the restart would count the file's lines, rewrite the head to
/// match and chain on, so the cut would leave no trace; instead the file goes on with an <see cref="Event"/> line that
/// names what the head expected and what the file held, and <c>audit verify</c> reports it.
/// </summary>
/// <param name="Line">The 1-based line of the file that records it (0 until it is read back from a file).</param>
/// <param name="ExpectedLines">The lines the head recorded.</param>
/// <param name="ExpectedHash">The hash of the last line the head recorded.</param>
/// <param name="FoundLines">The lines the file held at start.</param>
/// <param name="FoundHash">The hash of the file's last line at start, empty when it held none (the next line's <c>prev_hash</c>).</param>
public sealed record AuditTruncation(int Line, long ExpectedLines, string ExpectedHash, long FoundLines, string FoundHash)
{
    /// <summary>The event of the line that records it.</summary>
    public const string Event = "audit_truncated";

    /// <summary>
    /// What a file (<paramref name="lines"/> lines, the last hashing to <paramref name="lastHash"/>, line number
    /// <c>head.Lines</c> hashing to <paramref name="hashAtHeadLine"/>) lacks of its <paramref name="head"/>; null when it
    /// holds the line the head ends with where the head says. A file with more lines than that is not a cut (a server
    /// stopped between writing a line and its head).
    /// </summary>
    public static AuditTruncation? Find(AuditHead? head, long lines, string lastHash, string? hashAtHeadLine) =>
        head is null || head.Loss is not null || head.Lines == 0 || (lines >= head.Lines && hashAtHeadLine == head.LastHash)
            ? null
            : new AuditTruncation(0, head.Lines, head.LastHash, lines, lastHash);

    /// <summary>
    /// Counts the non-empty lines of <paramref name="path"/>, hashes the last and the one at <paramref name="headLine"/>;
    /// one pass that hashes two lines, not every line.
    /// </summary>
    public static (long Lines, string LastHash, string? HashAtHeadLine) Scan(string path, long headLine)
    {
        if (!File.Exists(path))
        {
            return (0, string.Empty, null);
        }

        long count = 0;
        string? last = null;
        string? atHead = null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length > 0)
            {
                count++;
                last = line;
                if (count == headLine)
                {
                    atHead = AuditChain.Hash(line);
                }
            }
        }

        return (count, last is null ? string.Empty : AuditChain.Hash(last), atHead);
    }

    /// <summary>The line that records it; the chain adds its <c>prev_hash</c>, the file's last line's (<see cref="FoundHash"/>).</summary>
    public AuditRecord Record() => new()
    {
        Event = Event,
        Outcome = "error",
        Counts = new SortedDictionary<string, long>(StringComparer.Ordinal) { ["expected_lines"] = ExpectedLines, ["found_lines"] = FoundLines },
        Notes = [$"expected_hash={ExpectedHash}", $"found_hash={FoundHash}", Explanation],
    };

    /// <summary>What happened, in the words an auditor needs.</summary>
    public string Explanation => FoundLines < ExpectedLines
        ? $"the head recorded {ExpectedLines} lines and the file held {FoundLines} at start: {Plural(ExpectedLines - FoundLines)} cut from its end (or the file was replaced) while no server was writing it"
        : $"the file held {FoundLines} lines at start, but its line {ExpectedLines.ToString(CultureInfo.InvariantCulture)} is not the one the head recorded: the file was rewritten or replaced while no server was writing it";

    /// <summary>Reads the record of <see cref="Record"/> back from line <paramref name="line"/>; null when it is not one whole.</summary>
    public static AuditTruncation? TryRead(JsonElement root, int line)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("event", out var e) || !e.ValueEquals(Event)
            || !root.TryGetProperty("counts", out var counts) || counts.ValueKind != JsonValueKind.Object
            || !counts.TryGetProperty("expected_lines", out var expected) || !expected.TryGetInt64(out var expectedLines)
            || !counts.TryGetProperty("found_lines", out var found) || !found.TryGetInt64(out var foundLines)
            || !root.TryGetProperty("notes", out var notes) || notes.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        string? expectedHash = null;
        string? foundHash = null;
        foreach (var note in notes.EnumerateArray())
        {
            var text = note.ValueKind == JsonValueKind.String ? note.GetString() ?? string.Empty : string.Empty;
            expectedHash ??= text.StartsWith("expected_hash=", StringComparison.Ordinal) ? text["expected_hash=".Length..] : null;
            foundHash ??= text.StartsWith("found_hash=", StringComparison.Ordinal) ? text["found_hash=".Length..] : null;
        }

        return expectedHash is null || foundHash is null ? null : new AuditTruncation(line, expectedLines, expectedHash, foundLines, foundHash);
    }

    private static string Plural(long count) => count == 1 ? "1 line was" : $"{count} lines were";
}
