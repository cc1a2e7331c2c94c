using System.Globalization;
using System.Text;

namespace DefenderMcp.Audit;

/// <summary>
/// The chain's head, kept beside the audit file (<c>FILE.head</c>, mode 0600): how many lines the file holds and the hash
/// of the last one. The hash chain alone detects an edited or removed line in the middle, but not lines cut from the end;
/// the head does, because it is rewritten after every line.
/// </summary>
/// <param name="Lines">Non-empty lines written so far.</param>
/// <param name="LastHash">SHA-256 (hex) of the last line, empty when there is none.</param>
public sealed record AuditHead(long Lines, string LastHash)
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

        var parts = File.ReadAllText(headPath).Trim().Split(' ');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var lines) && lines >= 0
            && (parts[1].Length == 64 || (lines == 0 && parts[1] == "-"))
            ? new AuditHead(lines, parts[1] == "-" ? string.Empty : parts[1])
            : null;
    }

    /// <summary>Replaces the head file atomically (a new 0600 file renamed over the old one).</summary>
    public void Write(string headPath)
    {
        var temporary = headPath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Lines} {(LastHash.Length == 0 ? "-" : LastHash)}\n")));
        }

        File.Move(temporary, headPath, overwrite: true);
    }
}
