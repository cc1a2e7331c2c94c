using System.Security.Cryptography;
using System.Text.Json;
using System.Text;

namespace DefenderMcp.Audit;

/// <summary>The hash chain over audit lines: each line's <c>prev_hash</c> is the SHA-256 (hex) of the line before it.</summary>
public static class AuditChain
{
    /// <summary>Lowercase hex SHA-256 of one line (without its newline).</summary>
    public static string Hash(string line) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line)));

    /// <summary>The hash of the last non-empty line of <paramref name="path"/>, or empty when there is none.</summary>
    public static string LastLineHash(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        var last = File.ReadLines(path).LastOrDefault(l => l.Length > 0);
        return last is null ? string.Empty : Hash(last);
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
