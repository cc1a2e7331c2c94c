using System.Globalization;

namespace DefenderMcp.Audit;

/// <summary>
/// A loss in progress, kept as a second line of a head (<see cref="AuditHead"/>): lines reach only stderr because the
/// audit file cannot be written or reopened. It is rewritten with every such line and dropped when the file resumes,
/// so a server that restarts (or stops) before the resume knows the gap it must record: its first line is then the
/// <see cref="AuditLog.ResumedEvent"/> line the stopped process would have written, not the start of a new chain.
/// </summary>
/// <param name="MissingLines">Lines that reached only stderr so far.</param>
/// <param name="AfterHash">The hash of the line they follow (the file's, or for a rotation the archive's, last line).</param>
/// <param name="FirstHash">The hash of the first of them.</param>
/// <param name="LastHash">The hash of the last of them: the resuming line's <c>prev_hash</c>.</param>
/// <param name="GoodLength">For a write that failed: the file's length after its last whole line; null otherwise.</param>
/// <param name="Archive">The archive (file name) a rotation renamed the file to just before the loss, if any.</param>
public sealed record AuditHeadLoss(long MissingLines, string AfterHash, string FirstHash, string LastHash, long? GoodLength, string? Archive)
{
    private const string Marker = "lost";

    /// <summary>The head line: <c>lost MISSING AFTER FIRST LAST GOOD_LENGTH|- ARCHIVE|-</c>, the archive last (a name may hold spaces).</summary>
    public string Format() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Marker} {MissingLines:D19} {AfterHash} {FirstHash} {LastHash} {(GoodLength is { } good ? good.ToString("D19", CultureInfo.InvariantCulture) : "-")} {Archive ?? "-"}");

    /// <summary>Reads a head line written by <see cref="Format"/>; null when it is not one.</summary>
    public static AuditHeadLoss? TryParse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Split(' ', 7);
        if (parts.Length != 7 || parts[0] != Marker
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var missing) || missing <= 0
            || !IsHash(parts[2]) || !IsHash(parts[3]) || !IsHash(parts[4]))
        {
            return null;
        }

        long? good = null;
        if (parts[5] != "-")
        {
            if (!long.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                return null;
            }

            good = length;
        }

        var archive = parts[6] == "-" ? null : parts[6];
        return archive is { Length: 0 } || archive?.IndexOfAny(['/', '\\']) >= 0
            ? null
            : new AuditHeadLoss(missing, parts[2], parts[3], parts[4], good, archive);
    }

    private static bool IsHash(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);
}
