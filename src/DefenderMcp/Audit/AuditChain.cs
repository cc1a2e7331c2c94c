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
    public static int? Verify(IEnumerable<string> lines)
    {
        var expected = string.Empty;
        var number = 0;
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
                if (!doc.RootElement.TryGetProperty("prev_hash", out var prev) || prev.GetString() != expected)
                {
                    return number;
                }
            }
            catch (JsonException)
            {
                return number;
            }

            expected = Hash(line);
        }

        return null;
    }
}
