using DefenderMcp.Emulator.Hunting.Evaluation;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary>
/// <c>invoke FileProfile(x, y)</c>: appends the documented profile columns to each row, looked up by the file id in
/// column x, for the first y rows (1-1000). ProfileAvailability is Available (found), Missing (looked up, unknown) or
/// empty (no id, or past the limit). A profile column the input already has keeps its value unless that is empty.
/// </summary>
internal sealed class FileProfileOperator : QueryOperator
{
    /// <summary>The columns the function adds, in the documented order.</summary>
    public static IReadOnlyList<HuntingColumnSchema> ProfileColumns { get; } =
    [
        new("SHA1", "string"), new("SHA256", "string"), new("MD5", "string"), new("FileSize", "int"), new("GlobalPrevalence", "int"),
        new("GlobalFirstSeen", "datetime"), new("GlobalLastSeen", "datetime"), new("Signer", "string"), new("Issuer", "string"), new("SignerHash", "string"),
        new("IsCertificateValid", "bool"), new("IsRootSignerMicrosoft", "bool"), new("SignatureState", "string"), new("IsExecutable", "bool"),
        new("ThreatName", "string"), new("Publisher", "string"), new("SoftwareName", "string"), new("ProfileAvailability", "string"),
    ];

    private readonly int idColumn;
    private readonly int limit;
    private readonly int[] targets;
    private readonly int inputWidth;
    private readonly Func<string, FileProfileFacts?>? profiles;

    public FileProfileOperator(RowSchema input, int idColumn, int limit, Func<string, FileProfileFacts?>? profiles)
        : base(Widen(input))
    {
        this.idColumn = idColumn;
        this.limit = limit;
        this.profiles = profiles;
        inputWidth = input.Count;
        targets = [.. ProfileColumns.Select(c => Output.IndexOf(c.Name))];
    }

    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input)
    {
        var cache = new Dictionary<string, FileProfileFacts?>(StringComparer.OrdinalIgnoreCase);
        var seen = 0;
        foreach (var row in input)
        {
            var result = new object?[Output.Count];
            Array.Copy(row, result, Math.Min(row.Length, inputWidth));
            var values = Profile(row[idColumn] as string, seen++ < limit, cache);
            for (var i = 0; i < targets.Length; i++)
            {
                var target = targets[i];
                if (target >= inputWidth || result[target] is null or "")
                {
                    result[target] = values[i];
                }
            }

            yield return result;
        }
    }

    private static RowSchema Widen(RowSchema input) =>
        new([.. input.Columns, .. ProfileColumns.Where(c => input.IndexOf(c.Name) < 0)]);

    private object?[] Profile(string? id, bool withinLimit, Dictionary<string, FileProfileFacts?> cache)
    {
        if (!withinLimit || id is not ({ Length: 40 } or { Length: 64 }) || !id.All(char.IsAsciiHexDigit))
        {
            return [string.Empty, string.Empty, string.Empty, null, null, null, null, string.Empty, string.Empty, string.Empty, null, null, string.Empty, null, string.Empty, string.Empty, string.Empty, string.Empty];
        }

        if (!cache.TryGetValue(id, out var facts))
        {
            facts = profiles?.Invoke(id);
            cache[id] = facts;
        }

        if (facts is null)
        {
            return [id.Length == 40 ? id : string.Empty, id.Length == 64 ? id : string.Empty, string.Empty, null, null, null, null, string.Empty, string.Empty, string.Empty, null, null, "Unknown", null, string.Empty, string.Empty, string.Empty, "Missing"];
        }

        return
        [
            facts.Sha1 ?? string.Empty, facts.Sha256 ?? string.Empty, facts.Md5 ?? string.Empty, facts.FileSize, facts.GlobalPrevalence, facts.GlobalFirstSeen, facts.GlobalLastSeen,
            facts.Signer ?? string.Empty, facts.Issuer ?? string.Empty, facts.SignerHash ?? string.Empty, facts.IsCertificateValid, facts.IsRootSignerMicrosoft, facts.SignatureState,
            facts.IsExecutable, facts.ThreatName ?? string.Empty, facts.Publisher ?? string.Empty, facts.SoftwareName ?? string.Empty, "Available",
        ];
    }
}
