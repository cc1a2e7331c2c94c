using System.Globalization;
using System.Text.Json.Nodes;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// The MDE API's view of the tenant's alerts (defender-api.md §3.12, alerts.md): the same alerts as Graph's alerts_v2,
/// shaped as MDE alerts, and the entity tests the pivots (<c>/files/{id}/alerts</c> and the others) select with.
/// </summary>
public static class MdeAlertView
{
    /// <summary>The alerts whose evidence names the file (SHA1, like the real pivot).</summary>
    public static List<JsonObject> ForFile(TenantData data, string sha1) =>
        Select(data, e => Files(e).Any(f => string.Equals(f["sha1"]?.GetValue<string>(), sha1, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The alerts whose evidence names the IP (IP evidence, a mail's sender IP) or runs on a device with it.</summary>
    public static List<JsonObject> ForIp(TenantData data, string ip) =>
        Select(data, e => Is(e, "ipEvidence") && Same(e["ipAddress"], ip) || Is(e, "analyzedMessageEvidence") && Same(e["senderIp"], ip) ||
                          Is(e, "deviceEvidence") && e["ipInterfaces"] is JsonArray ips && ips.Any(i => Same(i, ip)));

    /// <summary>The alerts whose evidence names the domain (URLs, senders).</summary>
    public static List<JsonObject> ForDomain(TenantData data, string domain) =>
        Select(data, e => Is(e, "urlEvidence") && EntitySightings.HostMatches(e["url"]?.GetValue<string>(), domain) ||
                          Is(e, "analyzedMessageEvidence") && e["p1Sender"]?["emailAddress"]?.GetValue<string>() is { } sender && EntitySightings.HostMatches(sender.Split('@')[^1], domain));

    /// <summary>The alerts whose evidence names the account (by account name, not UPN).</summary>
    public static List<JsonObject> ForAccount(TenantData data, string account) =>
        Select(data, e => Same(e["userAccount"]?["accountName"], account));

    /// <summary>The alerts on a device.</summary>
    public static List<JsonObject> ForMachine(TenantData data, string machineId) =>
        Select(data, e => Is(e, "deviceEvidence") && Same(e["mdeDeviceId"], machineId));

    /// <summary>The device ids an alert's evidence names.</summary>
    public static IEnumerable<string> MachinesOf(JsonObject graphAlert) =>
        Evidence(graphAlert).Where(e => Is(e, "deviceEvidence")).Select(e => e["mdeDeviceId"]?.GetValue<string>()).OfType<string>();

    /// <summary>The file objects (file details and process images) of one evidence item.</summary>
    public static IEnumerable<JsonObject> Files(JsonObject evidence) =>
        new[] { evidence["fileDetails"], evidence["imageFile"], evidence["parentProcessImageFile"] }.OfType<JsonObject>();

    /// <summary>Every evidence item of an alert.</summary>
    public static IEnumerable<JsonObject> Evidence(JsonObject graphAlert) =>
        graphAlert["evidence"] is JsonArray items ? items.OfType<JsonObject>() : [];

    private static List<JsonObject> Select(TenantData data, Func<JsonObject, bool> evidence)
    {
        lock (data.Gate)
        {
            return [.. data.Alerts.Where(a => Evidence(a).Any(evidence)).Select(a => ToMde(data, a))];
        }
    }

    private static bool Is(JsonObject e, string type) => string.Equals(e["@odata.type"]?.GetValue<string>(), "#microsoft.graph.security." + type, StringComparison.Ordinal);

    private static bool Same(JsonNode? node, string value) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && string.Equals(s, value, StringComparison.OrdinalIgnoreCase);

    /// <summary>A Graph alert as the MDE API shows it (enum casing and member names of alerts.md).</summary>
    public static JsonObject ToMde(TenantData data, JsonObject a)
    {
        var machine = MachinesOf(a).FirstOrDefault();
        var device = machine is null ? null : data.Machines.FirstOrDefault(m => string.Equals(m["id"]?.GetValue<string>(), machine, StringComparison.OrdinalIgnoreCase));
        var user = Evidence(a).Select(e => e["userAccount"]).OfType<JsonObject>().FirstOrDefault();
        return new JsonObject
        {
            ["id"] = a["id"]?.DeepClone(),
            ["incidentId"] = long.TryParse(a["incidentId"]?.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var incident) ? incident : null,
            ["investigationId"] = null,
            ["investigationState"] = "Unknown",
            ["assignedTo"] = a["assignedTo"]?.DeepClone(),
            ["severity"] = Pascal(a["severity"]?.GetValue<string>()),
            ["status"] = a["status"]?.GetValue<string>() switch { "new" => "New", "inProgress" => "InProgress", "resolved" => "Resolved", _ => "Unknown" },
            ["classification"] = a["classification"]?.GetValue<string>() is { } c && c != "unknown" ? Pascal(c) : null,
            ["determination"] = a["determination"]?.GetValue<string>() is { } d && d != "unknown" ? Pascal(d) : null,
            ["detectionSource"] = a["detectionSource"]?.GetValue<string>() == "microsoftDefenderForEndpoint" ? "WindowsDefenderAtp" : Pascal(a["detectionSource"]?.GetValue<string>()),
            ["detectorId"] = a["detectorId"]?.DeepClone(),
            ["category"] = a["category"]?.DeepClone(),
            ["threatFamilyName"] = a["threatFamilyName"]?.DeepClone(),
            ["threatName"] = a["threatDisplayName"]?.DeepClone(),
            ["title"] = a["title"]?.DeepClone(),
            ["description"] = a["description"]?.DeepClone(),
            ["alertCreationTime"] = a["createdDateTime"]?.DeepClone(),
            ["firstEventTime"] = a["firstActivityDateTime"]?.DeepClone(),
            ["lastEventTime"] = a["lastActivityDateTime"]?.DeepClone(),
            ["lastUpdateTime"] = a["lastUpdateDateTime"]?.DeepClone(),
            ["resolvedTime"] = a["resolvedDateTime"]?.DeepClone(),
            ["machineId"] = machine,
            ["computerDnsName"] = device?["computerDnsName"]?.DeepClone(),
            ["rbacGroupName"] = device?["rbacGroupName"]?.DeepClone(),
            ["aadTenantId"] = a["tenantId"]?.DeepClone(),
            ["mitreTechniques"] = a["mitreTechniques"]?.DeepClone(),
            ["relatedUser"] = user is null ? null : new JsonObject { ["userName"] = user["accountName"]?.DeepClone(), ["domainName"] = user["domainName"]?.DeepClone() },
            ["comments"] = new JsonArray(),
        };
    }

    private static string? Pascal(string? value) => string.IsNullOrEmpty(value) ? value : char.ToUpperInvariant(value[0]) + value[1..];
}
