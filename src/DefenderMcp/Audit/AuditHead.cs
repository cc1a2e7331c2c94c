using System.Globalization;

namespace DefenderMcp.Audit;

/// <summary>
/// The chain's head, kept beside the audit file (<c>FILE.head</c>, mode 0600): how many lines the file holds and the hash
/// of the last one. The hash chain alone detects an edited or removed line in the middle, but not lines cut from the end;
/// the head does, because it is rewritten after every line (in place, one fixed-length record: <see cref="AuditHeadFile"/>).
/// While lines reach only stderr after this file's last line, a second line records that loss (<see cref="AuditHeadLoss"/>).
/// </summary>
/// <param name="Lines">Non-empty lines written so far.</param>
/// <param name="LastHash">SHA-256 (hex) of the last line, empty when there is none.</param>
/// <param name="Loss">Lines reaching only stderr after this file's last line, while the file cannot be written; null when none.</param>
public sealed record AuditHead(long Lines, string LastHash, AuditHeadLoss? Loss = null)
{
    /// <summary>Where the head of <paramref name="auditPath"/> lives.</summary>
    public static string PathFor(string auditPath) => auditPath + ".head";

    /// <summary>Reads a head file; null when it is missing or not a head.</summary>
    public static AuditHead? TryRead(string headPath)
    {
        if (!File.Exists(headPath))
        {
            return null;
        }

        var records = File.ReadAllText(headPath).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (records.Length is 0 or > 2)
        {
            return null;
        }

        AuditHeadLoss? loss = null;
        if (records.Length == 2 && (loss = AuditHeadLoss.TryParse(records[1])) is null)
        {
            return null;
        }

        var parts = records[0].Trim().Split(' ');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var lines) && lines >= 0
            && (parts[1].Length == 64 || (lines == 0 && parts[1] == "-"))
            ? new AuditHead(lines, parts[1] == "-" ? string.Empty : parts[1], loss)
            : null;
    }
}
