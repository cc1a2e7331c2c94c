using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DefenderMcp.Emulator.Hunting;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// What the tenant knows about a file, in one place: the file API (<c>GET /api/files/{id}</c>) and the hunting
/// function <c>invoke FileProfile()</c> both answer from it, so they agree (prevalence, signer, threat).
/// </summary>
public static partial class FileFacts
{
    [GeneratedRegex("^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$")]
    private static partial Regex Hash();

    /// <summary>The file entity (<c>GET /api/files/{id}</c>) of a SHA1 or SHA256 the tenant has seen (hunting rows) or an alert names, or null; global numbers are stable per hash.</summary>
    public static JsonObject? Find(TenantData data, string id)
    {
        if (!Hash().IsMatch(id))
        {
            return null;
        }

        JsonObject? details;
        lock (data.Gate)
        {
            details = data.Alerts.SelectMany(MdeAlertView.Evidence).SelectMany(MdeAlertView.Files)
                .FirstOrDefault(f => string.Equals(f["sha1"]?.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase) || string.Equals(f["sha256"]?.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase));
            details = (JsonObject?)details?.DeepClone();
        }

        var seen = EntitySightings.OfFile(data, id);
        if (details is null && seen.Devices.Count == 0)
        {
            return null;
        }

        var sha1 = details?["sha1"]?.GetValue<string>() ?? (id.Length == 40 ? id.ToLowerInvariant() : FromRows(data, id, "SHA256", "SHA1"));
        var sha256 = details?["sha256"]?.GetValue<string>() ?? (id.Length == 64 ? id.ToLowerInvariant() : FromRows(data, id, "SHA1", "SHA256"));
        var payload = string.Equals(sha1, DataGenerator.PayloadSha1, StringComparison.OrdinalIgnoreCase);
        var global = payload ? 3 : 1000 + (Math.Abs(DataGenerator.Seed(sha1 ?? id)) % 900_000);
        var first = seen.First ?? DateTime.UtcNow.AddDays(-1);
        return new JsonObject
        {
            ["sha1"] = sha1,
            ["sha256"] = sha256,
            ["md5"] = null,
            ["globalPrevalence"] = global,
            ["globalFirstObserved"] = DataGenerator.Iso(payload ? first.AddHours(-2) : first.AddDays(-400)),
            ["globalLastObserved"] = DataGenerator.Iso(seen.Last ?? first),
            ["size"] = payload ? DataGenerator.PayloadSize : SizeFromRows(data, id),
            ["fileType"] = "PortableExecutable",
            ["isPeFile"] = true,
            ["filePublisher"] = payload ? null : "Microsoft Corporation",
            ["fileProductName"] = payload ? null : "Microsoft Windows",
            ["signer"] = payload ? null : "Microsoft Windows",
            ["issuer"] = payload ? null : "Microsoft Windows Production PCA 2011",
            ["signerHash"] = payload ? null : DataGenerator.Hex("microsoft-signer", 20),
            ["isValidCertificate"] = !payload,
            ["determinationType"] = payload ? "Malware" : "Clean",
            ["determinationValue"] = payload ? "Trojan:Win32/Emulated.A!dha" : string.Empty,
        };
    }

    private static string? FromRows(TenantData data, string id, string keyColumn, string valueColumn)
    {
        foreach (var name in new[] { "DeviceFileEvents", "DeviceProcessEvents" })
        {
            if (data.Tables.TryGetValue(name, out var table) && table.ColumnIndex(keyColumn) is var k and >= 0 && table.ColumnIndex(valueColumn) is var v and >= 0 &&
                table.Rows.FirstOrDefault(r => string.Equals(r[k] as string, id, StringComparison.OrdinalIgnoreCase)) is { } row)
            {
                return row[v] as string;
            }
        }

        return null;
    }

    /// <summary>
    /// The <c>FileSize</c> of the newest file or process event of the hash, or null when no row gives one (the alerts'
    /// evidence gives the same size): the file API then says what a hunt for the hash shows.
    /// </summary>
    private static long? SizeFromRows(TenantData data, string id)
    {
        var keyColumn = id.Length == 64 ? "SHA256" : "SHA1";
        (DateTime When, long Size)? newest = null;
        foreach (var name in new[] { "DeviceFileEvents", "DeviceProcessEvents" })
        {
            if (!data.Tables.TryGetValue(name, out var table) || table.ColumnIndex(keyColumn) is not (var k and >= 0) ||
                table.ColumnIndex("FileSize") is not (var s and >= 0) || table.ColumnIndex("Timestamp") is not (var t and >= 0))
            {
                continue;
            }

            foreach (var row in table.Rows)
            {
                if (row[s] is long size && row[t] is DateTime when && string.Equals(row[k] as string, id, StringComparison.OrdinalIgnoreCase) && (newest is null || when > newest.Value.When))
                {
                    newest = (when, size);
                }
            }
        }

        return newest?.Size;
    }

    /// <summary>The FileProfile() columns of a file, or null when the tenant does not know it.</summary>
    public static FileProfileFacts? Profile(TenantData data, string id)
    {
        if (Find(data, id) is not { } file)
        {
            return null;
        }

        string? Text(string name) => file[name]?.GetValue<string>() is { Length: > 0 } value ? value : null;
        int? Number(string name) => int.TryParse(file[name]?.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        DateTime? Time(string name) => Text(name) is { } value ? DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) : null;
        var signed = Text("signer") is not null;
        var valid = file["isValidCertificate"]?.GetValue<bool>() ?? false;
        var threat = Text("determinationType") is "Clean" or null ? null : Text("determinationValue");
        return new FileProfileFacts(
            Text("sha1"), Text("sha256"), Text("md5"), Number("size"), Number("globalPrevalence"),
            Time("globalFirstObserved"), Time("globalLastObserved"), Text("signer"), Text("issuer"), Text("signerHash"), valid,
            signed && Text("issuer")?.StartsWith("Microsoft", StringComparison.Ordinal) == true, !signed ? "Unsigned" : valid ? "SignedValid" : "SignedInvalid",
            file["isPeFile"]?.GetValue<bool>() ?? false, threat, Text("filePublisher"), Text("fileProductName"));
    }
}
