using DefenderMcp.Emulator.Hunting;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// Where an entity (file, IP, domain, account) was seen, read from the tenant's hunting tables so the entity APIs
/// answer from the same rows a hunt returns: the devices, and the first and last time. Rows before
/// <paramref name="since"/> are left out, so a stats call's <c>lookBackHours</c> counts only its window.
/// </summary>
/// <param name="since">The start of the window; <see cref="DateTime.MinValue"/> for every row.</param>
public sealed class EntitySightings(DateTime since)
{
    private readonly Dictionary<string, (DateTime First, DateTime Last)> _devices = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Device ids that saw the entity, with the first and last time each did.</summary>
    public IReadOnlyDictionary<string, (DateTime First, DateTime Last)> Devices => _devices;

    /// <summary>File names seen with a file hash, most frequent first.</summary>
    public List<string> Names { get; } = [];

    /// <summary>The first sighting anywhere, or null.</summary>
    public DateTime? First => _devices.Count == 0 ? null : _devices.Values.Min(v => v.First);

    /// <summary>The last sighting anywhere, or null.</summary>
    public DateTime? Last => _devices.Count == 0 ? null : _devices.Values.Max(v => v.Last);

    /// <summary>A file by SHA1 or SHA256 in the file and process events, seen at or after <paramref name="since"/> when given.</summary>
    public static EntitySightings OfFile(TenantData data, string hash, DateTime? since = null)
    {
        var column = hash.Length == 64 ? "SHA256" : "SHA1";
        var result = new EntitySightings(since ?? DateTime.MinValue);
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in new[] { "DeviceFileEvents", "DeviceProcessEvents" })
        {
            result.Scan(data, table, row => string.Equals(row(column) as string, hash, StringComparison.OrdinalIgnoreCase), row =>
            {
                if (row("FileName") is string { Length: > 0 } name)
                {
                    names[name] = names.GetValueOrDefault(name) + 1;
                }
            });
        }

        result.Names.AddRange(names.OrderByDescending(kv => kv.Value).Select(kv => kv.Key));
        return result;
    }

    /// <summary>An IP address the devices connected to (network events), or a file came from, at or after <paramref name="since"/> when given.</summary>
    public static EntitySightings OfIp(TenantData data, string ip, DateTime? since = null)
    {
        var result = new EntitySightings(since ?? DateTime.MinValue);
        result.Scan(data, "DeviceNetworkEvents", row => string.Equals(row("RemoteIP") as string, ip, StringComparison.OrdinalIgnoreCase));
        result.Scan(data, "DeviceFileEvents", row => string.Equals(row("FileOriginIP") as string, ip, StringComparison.OrdinalIgnoreCase));
        return result;
    }

    /// <summary>A domain the devices connected to (network events) or opened a URL of (process command lines), at or after <paramref name="since"/> when given.</summary>
    public static EntitySightings OfDomain(TenantData data, string domain, DateTime? since = null)
    {
        var result = new EntitySightings(since ?? DateTime.MinValue);
        result.Scan(data, "DeviceNetworkEvents", row => HostMatches(row("RemoteUrl") as string, domain));
        result.Scan(data, "DeviceProcessEvents", row => row("ProcessCommandLine") is string line && UrlsIn(line).Any(u => HostMatches(u, domain)));
        return result;
    }

    /// <summary>An account (name without domain) that logged on to devices.</summary>
    public static EntitySightings OfAccount(TenantData data, string account)
    {
        var result = new EntitySightings(DateTime.MinValue);
        result.Scan(data, "DeviceLogonEvents", row => string.Equals(row("AccountName") as string, account, StringComparison.OrdinalIgnoreCase) && string.Equals(row("ActionType") as string, "LogonSuccess", StringComparison.Ordinal));
        return result;
    }

    /// <summary>Whether <paramref name="url"/> (a URL or a bare host) is <paramref name="domain"/> or one of its subdomains.</summary>
    public static bool HostMatches(string? url, string domain)
    {
        if (string.IsNullOrEmpty(url))
        {
            return false;
        }

        var host = Uri.TryCreate(url, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host) ? uri.Host : url.Split('/', ':')[0];
        return string.Equals(host, domain, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> UrlsIn(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => p.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || p.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    private void Scan(TenantData data, string tableName, Func<Func<string, object?>, bool> match, Action<Func<string, object?>>? also = null)
    {
        if (!data.Tables.TryGetValue(tableName, out var table))
        {
            return;
        }

        var device = table.ColumnIndex("DeviceId");
        var time = table.ColumnIndex("Timestamp");
        if (device < 0 || time < 0)
        {
            return;
        }

        foreach (var cells in table.Rows)
        {
            object? Cell(string name) => table.ColumnIndex(name) is var i and >= 0 ? cells[i] : null;
            if (!match(Cell) || cells[device] is not string id || cells[time] is not DateTime ts || ts < since)
            {
                continue;
            }

            _devices[id] = _devices.TryGetValue(id, out var seen) ? (ts < seen.First ? ts : seen.First, ts > seen.Last ? ts : seen.Last) : (ts, ts);
            also?.Invoke(Cell);
        }
    }
}
