using System.Text.Json;

namespace DefenderMcp.Emulator.Hunting.Evaluation;

/// <summary>
/// Which device held which IP address when, read from the DeviceNetworkInfo reports (the table the service documents
/// for adapter addresses): what <c>AssignedIPAddresses()</c> and <c>DeviceFromIP()</c> answer from. A device's
/// addresses at a time are those of its latest report per adapter at or before that time. The whole table is read,
/// not the query's time window: the functions look assignments up, they do not filter events.
/// </summary>
internal sealed class IpAssignments
{
    private readonly List<Report> reports;

    private IpAssignments(List<Report> reports) => this.reports = reports;

    /// <summary>One adapter report: when, which device and adapter, its addresses.</summary>
    public sealed record Report(DateTime Timestamp, string DeviceId, string DeviceName, string Adapter, string AdapterType, string? ConnectedNetworks, IReadOnlyList<(string Address, string Type)> Addresses);

    /// <summary>The reports of a DeviceNetworkInfo table (none when the tenant has no such table).</summary>
    public static IpAssignments From(HuntingTable? table)
    {
        var list = new List<Report>();
        if (table is null)
        {
            return new IpAssignments(list);
        }

        int time = table.ColumnIndex("Timestamp"), id = table.ColumnIndex("DeviceId"), name = table.ColumnIndex("DeviceName"), adapter = table.ColumnIndex("NetworkAdapterName"),
            type = table.ColumnIndex("NetworkAdapterType"), networks = table.ColumnIndex("ConnectedNetworks"), addresses = table.ColumnIndex("IPAddresses");
        if (time < 0 || id < 0 || addresses < 0)
        {
            return new IpAssignments(list);
        }

        for (var i = 0; i < table.Rows.Count; i++)
        {
            var row = table.Rows[i];
            if (row[time] is DateTime ts && row[id] is string { Length: > 0 } device)
            {
                list.Add(new Report(ts, device, Cell(row, name), Cell(row, adapter), Cell(row, type), networks >= 0 ? row[networks] as string : null, Addresses(row[addresses] as string)));
            }
        }

        return new IpAssignments(list);
    }

    /// <summary>The latest report of each adapter of the device (DeviceId, or DeviceName with or without its domain) at or before <paramref name="at"/>.</summary>
    public IEnumerable<Report> Of(string device, DateTime? at) =>
        Latest(reports.Where(r => Names(r, device) && (at is null || r.Timestamp <= at)));

    /// <summary>The devices whose latest report at or before <paramref name="at"/> holds <paramref name="ip"/>.</summary>
    public IEnumerable<string> DevicesWith(string ip, DateTime? at) =>
        Latest(reports.Where(r => at is null || r.Timestamp <= at))
            .Where(r => r.Addresses.Any(a => string.Equals(a.Address, ip, StringComparison.OrdinalIgnoreCase)))
            .Select(r => r.DeviceId)
            .Distinct(StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<Report> Latest(IEnumerable<Report> candidates) =>
        candidates.GroupBy(r => (r.DeviceId.ToLowerInvariant(), r.Adapter)).Select(g => g.MaxBy(r => r.Timestamp)!).OrderBy(r => r.DeviceId, StringComparer.Ordinal).ThenBy(r => r.Adapter, StringComparer.Ordinal);

    private static bool Names(Report r, string device) =>
        string.Equals(r.DeviceId, device, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(r.DeviceName, device, StringComparison.OrdinalIgnoreCase) ||
        (!device.Contains('.', StringComparison.Ordinal) && r.DeviceName.StartsWith(device + ".", StringComparison.OrdinalIgnoreCase));

    private static string Cell(object?[] row, int index) => index >= 0 ? row[index] as string ?? string.Empty : string.Empty;

    // IPAddresses is JSON: [{"IPAddress":"10.1.0.5","SubnetPrefix":24,"AddressType":"Private"}, ...].
    private static List<(string, string)> Addresses(string? json)
    {
        var result = new List<(string, string)>();
        if (string.IsNullOrEmpty(json))
        {
            return result;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return result;
            }

            foreach (var entry in doc.RootElement.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("IPAddress", out var ip) && ip.ValueKind == JsonValueKind.String)
                {
                    var type = entry.TryGetProperty("AddressType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : string.Empty;
                    result.Add((ip.GetString()!, type));
                }
            }
        }
        catch (JsonException)
        {
            // A malformed report holds no address.
        }

        return result;
    }
}
