using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using DefenderMcp.Emulator.Data;
using DefenderMcp.Emulator.Hunting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DefenderMcp.Emulator.Api;

/// <summary>
/// Defender for Endpoint entity pivots (defender-api.md §3.12): files, IPs, domains, users and a machine's logon users
/// and alerts, answered from the tenant's hunting rows and alerts. File machines and alerts key on SHA1 only, user
/// pivots on the account name, domain machines stop at 500; a bad IP is a 400 <c>InvalidIpAddress</c>. The three stats
/// count only the sightings of their <c>lookBackHours</c> (1 to 720, default 720); another value is a 400 <c>InvalidInput</c>.
/// </summary>
public static class EntityEndpoints
{
    private const string Metadata = MdeCollections.Metadata;
    private static readonly string[] AlertRead = ["Alert.Read.All", "Alert.ReadWrite.All"];
    private static readonly string[] MachineRead = ["Machine.Read.All", "Machine.ReadWrite.All"];

    /// <summary>The largest <c>lookBackHours</c> of the stats calls, and their default (30 days).</summary>
    private const int MaxLookBackHours = 720;

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapGet("/api/files/{id}", (HttpContext c, string id) => FileAsync(c, state, id));
        app.MapGet("/api/files/{id}/stats", (HttpContext c, string id) => FileStatsAsync(c, state, id));
        app.MapGet("/api/files/{id}/machines", (HttpContext c, string id) => WithAsync(c, state, MachineRead, data => Machines(data, id.Length == 40 ? EntitySightings.OfFile(data, id).Devices.Keys : [], int.MaxValue)));
        app.MapGet("/api/files/{id}/alerts", (HttpContext c, string id) => WithAsync(c, state, AlertRead, data => Alerts(id.Length == 40 ? MdeAlertView.ForFile(data, id) : [])));
        app.MapGet("/api/ips/{ip}/stats", (HttpContext c, string ip) => IpStatsAsync(c, state, ip));
        app.MapGet("/api/ips/{ip}/alerts", (HttpContext c, string ip) => IpAlertsAsync(c, state, ip));
        app.MapGet("/api/domains/{domain}/stats", (HttpContext c, string domain) => DomainStatsAsync(c, state, domain));
        app.MapGet("/api/domains/{domain}/machines", (HttpContext c, string domain) => WithAsync(c, state, MachineRead, data => Machines(data, EntitySightings.OfDomain(data, domain).Devices.Keys, 500)));
        app.MapGet("/api/domains/{domain}/alerts", (HttpContext c, string domain) => WithAsync(c, state, ["Alert.ReadWrite.All"], data => Alerts(MdeAlertView.ForDomain(data, domain))));
        app.MapGet("/api/users/{id}/alerts", (HttpContext c, string id) => WithAsync(c, state, AlertRead, data => Alerts(MdeAlertView.ForAccount(data, id))));
        app.MapGet("/api/users/{id}/machines", (HttpContext c, string id) => WithAsync(c, state, ["Machine.ReadWrite.All"], data => Machines(data, EntitySightings.OfAccount(data, id).Devices.Keys, int.MaxValue)));
        app.MapGet("/api/machines/{id}/logonusers", (HttpContext c, string id) => MdeCollections.MachineAsync(c, state, id, ["User.Read.All"], LogonUsers));
        app.MapGet("/api/machines/{id}/alerts", (HttpContext c, string id) => MdeCollections.MachineAsync(c, state, id, AlertRead, (data, machine) => Alerts(MdeAlertView.ForMachine(data, machine))));
    }

    private static async Task WithAsync(HttpContext context, EmulatorState state, string[] roles, Func<TenantData, JsonObject> answer)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, roles).ConfigureAwait(false) is not { } data)
        {
            return;
        }

        await context.Response.WriteAsJsonAsync(answer(data)).ConfigureAwait(false);
    }

    private static async Task FileAsync(HttpContext context, EmulatorState state, string id)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "File.Read.All").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        if (FileFacts.Find(data, id) is not { } file)
        {
            await ApiErrors.WriteAsync(context, 404, "ResourceNotFound", "File was not found.").ConfigureAwait(false);
            return;
        }

        file["@odata.context"] = Metadata + "Files/$entity";
        await context.Response.WriteAsJsonAsync(file).ConfigureAwait(false);
    }

    private static async Task FileStatsAsync(HttpContext context, EmulatorState state, string id)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "File.Read.All").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        if (await SinceAsync(context).ConfigureAwait(false) is not { } since)
        {
            return;
        }

        if (FileFacts.Find(data, id) is not { } file)
        {
            await ApiErrors.WriteAsync(context, 404, "ResourceNotFound", "File was not found.").ConfigureAwait(false);
            return;
        }

        var seen = EntitySightings.OfFile(data, id, since);
        var stats = Stats(seen, "sha1", file["sha1"]!.GetValue<string>(), "InOrgFileStats");
        stats["globallyPrevalence"] = file["globalPrevalence"]?.DeepClone();
        stats["globalFirstObserved"] = file["globalFirstObserved"]?.DeepClone();
        stats["globalLastObserved"] = file["globalLastObserved"]?.DeepClone();
        stats["topFileNames"] = new JsonArray([.. seen.Names.Take(5).Select(n => (JsonNode)JsonValue.Create(n)!)]);
        await context.Response.WriteAsJsonAsync(stats).ConfigureAwait(false);
    }

    private static async Task IpStatsAsync(HttpContext context, EmulatorState state, string ip)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Ip.Read.All").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        if (await SinceAsync(context).ConfigureAwait(false) is not { } since)
        {
            return;
        }

        if (!IPAddress.TryParse(ip, out _))
        {
            await ApiErrors.WriteAsync(context, 400, "InvalidIpAddress", "The IP address is not valid.").ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(Stats(EntitySightings.OfIp(data, ip, since), "ipAddress", ip, "InOrgIPStats")).ConfigureAwait(false);
    }

    private static async Task DomainStatsAsync(HttpContext context, EmulatorState state, string domain)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "URL.Read.All").ConfigureAwait(false) is not { } data ||
            await SinceAsync(context).ConfigureAwait(false) is not { } since)
        {
            return;
        }

        await context.Response.WriteAsJsonAsync(Stats(EntitySightings.OfDomain(data, domain, since), "host", domain.ToLowerInvariant(), "InOrgDomainStats")).ConfigureAwait(false);
    }

    private static async Task IpAlertsAsync(HttpContext context, EmulatorState state, string ip)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, AlertRead).ConfigureAwait(false) is not { } data)
        {
            return;
        }

        if (!IPAddress.TryParse(ip, out _))
        {
            await ApiErrors.WriteAsync(context, 400, "InvalidIpAddress", "The IP address is not valid.").ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(Alerts(MdeAlertView.ForIp(data, ip))).ConfigureAwait(false);
    }

    /// <summary>
    /// The start of a stats call's window: <c>lookBackHours</c> (1 to 720, default 720) before now, so the stats count
    /// only what a hunt over the same hours finds. Another value is answered with a 400 <c>InvalidInput</c> (the common
    /// error for a bad parameter, defender-api.md §3.2) and null is returned.
    /// </summary>
    private static async Task<DateTime?> SinceAsync(HttpContext context)
    {
        var text = context.Request.Query["lookBackHours"].ToString();
        if (text.Length == 0)
        {
            return DateTime.UtcNow.AddHours(-MaxLookBackHours);
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var hours) && hours is >= 1 and <= MaxLookBackHours)
        {
            return DateTime.UtcNow.AddHours(-hours);
        }

        await ApiErrors.WriteAsync(context, 400, "InvalidInput", $"Invalid input lookBackHours={(text.Length > 20 ? text[..20] + "..." : text)}: give a whole number of hours from 1 to {MaxLookBackHours}, or leave it out for {MaxLookBackHours}.").ConfigureAwait(false);
        return null;
    }

    private static JsonObject Stats(EntitySightings seen, string keyName, string key, string type) => new()
    {
        ["@odata.context"] = Metadata + "microsoft.windowsDefenderATP.api." + type,
        [keyName] = key,
        ["organizationPrevalence"] = seen.Devices.Count,
        ["orgFirstSeen"] = seen.First is { } f ? DataGenerator.Iso(f) : null,
        ["orgLastSeen"] = seen.Last is { } l ? DataGenerator.Iso(l) : null,
    };

    private static JsonObject Machines(TenantData data, IEnumerable<string> ids, int cap)
    {
        var wanted = ids.ToHashSet(StringComparer.OrdinalIgnoreCase);
        lock (data.Gate)
        {
            return MdeCollections.List("Machines", data.Machines.Where(m => wanted.Contains(m["id"]?.GetValue<string>() ?? string.Empty)).Take(cap).Select(m => (JsonObject)m.DeepClone()));
        }
    }

    private static JsonObject Alerts(IEnumerable<JsonObject> alerts) => MdeCollections.List("Alerts", alerts);

    private static JsonObject LogonUsers(TenantData data, string machineId)
    {
        var users = new Dictionary<string, (DateTime First, DateTime Last, Dictionary<string, int> Types)>(StringComparer.OrdinalIgnoreCase);
        string? domain = null;
        if (data.Tables.TryGetValue("DeviceLogonEvents", out HuntingTable? table))
        {
            int device = table.ColumnIndex("DeviceId"), time = table.ColumnIndex("Timestamp"), account = table.ColumnIndex("AccountName"),
                accountDomain = table.ColumnIndex("AccountDomain"), type = table.ColumnIndex("LogonType"), action = table.ColumnIndex("ActionType");
            foreach (var row in table.Rows)
            {
                if (!string.Equals(row[device] as string, machineId, StringComparison.OrdinalIgnoreCase) || row[action] as string != "LogonSuccess" ||
                    row[account] is not string { Length: > 0 } name || row[time] is not DateTime ts)
                {
                    continue;
                }

                domain ??= row[accountDomain] as string;
                var entry = users.TryGetValue(name, out var e) ? e : (First: ts, Last: ts, Types: new Dictionary<string, int>(StringComparer.Ordinal));
                var logonType = row[type] as string ?? "Interactive";
                entry.Types[logonType] = entry.Types.GetValueOrDefault(logonType) + 1;
                users[name] = (ts < entry.First ? ts : entry.First, ts > entry.Last ? ts : entry.Last, entry.Types);
            }
        }

        return MdeCollections.List("Users", users.OrderByDescending(u => u.Value.Last).Select(u => new JsonObject
        {
            ["id"] = $"{domain}\\{u.Key}",
            ["accountName"] = u.Key,
            ["accountDomain"] = domain,
            ["accountSid"] = null,
            ["firstSeen"] = DataGenerator.Iso(u.Value.First),
            ["lastSeen"] = DataGenerator.Iso(u.Value.Last),
            ["mostPrevalentMachineId"] = null,
            ["leastPrevalentMachineId"] = null,
            ["logonTypes"] = u.Value.Types.OrderByDescending(t => t.Value).First().Key,
            ["logOnMachinesCount"] = 1,
            ["isDomainAdmin"] = false,
            ["isOnlyNetworkUser"] = u.Value.Types.Keys.All(t => t == "Network"),
        }));
    }
}
