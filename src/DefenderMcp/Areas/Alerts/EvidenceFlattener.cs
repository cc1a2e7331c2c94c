using System.Text.Json;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Alerts;

/// <summary>Flattens alert evidence into a deduplicated, bounded list of impacted entities.</summary>
public static class EvidenceFlattener
{
    /// <summary>Entities across <paramref name="alerts"/>, at most <paramref name="max"/>, most-cited first.</summary>
    public static IReadOnlyList<EntityOutput> Flatten(IEnumerable<SecurityAlert> alerts, int max)
    {
        var entities = new Dictionary<(string, string), Builder>();
        foreach (var alert in alerts)
        {
            foreach (var evidence in alert.Evidence)
            {
                var (type, name, id, details) = Describe(evidence);
                var key = (type, (id ?? name ?? string.Empty).ToLowerInvariant());
                if (!entities.TryGetValue(key, out var builder))
                {
                    builder = new Builder(type, name, id, details);
                    entities[key] = builder;
                }

                builder.Verdict ??= Text.Clip(evidence.Verdict, 64);
                foreach (var role in evidence.Roles.Take(30))
                {
                    builder.Roles.Add(Text.Clip(role, 64)!);
                }

                builder.AlertIds.Add(alert.Id);
            }
        }

        return [.. entities.Values
            .OrderByDescending(b => b.AlertIds.Count)
            .Take(max)
            .Select(b => new EntityOutput(b.Type, b.Name, b.Id, b.Details, b.Verdict, [.. b.Roles], [.. b.AlertIds]))];
    }

    private static (string Type, string? Name, string? Id, Dictionary<string, string> Details) Describe(AlertEvidence evidence)
    {
        var raw = evidence.Raw;
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (evidence.Type)
        {
            case "deviceEvidence":
                Add(details, "os_platform", Str(raw, "osPlatform"));
                Add(details, "risk_score", Str(raw, "riskScore"));
                Add(details, "health_status", Str(raw, "healthStatus"));
                return ("device", Str(raw, "deviceDnsName"), Str(raw, "mdeDeviceId"), details);
            case "userEvidence":
                return User(raw, "userAccount", details);
            case "mailboxEvidence":
                Add(details, "display_name", Str(raw, "displayName"));
                return ("mailbox", Str(raw, "primaryAddress") ?? Str(raw, "userAccount", "userPrincipalName"), Str(raw, "primaryAddress"), details);
            case "processEvidence":
                Add(details, "command_line", Str(raw, "processCommandLine"));
                Add(details, "process_id", Str(raw, "processId"));
                Add(details, "device_id", Str(raw, "mdeDeviceId"));
                Add(details, "account", Str(raw, "userAccount", "accountName"));
                Add(details, "sha256", Str(raw, "imageFile", "sha256"));
                return ("process", Str(raw, "imageFile", "fileName"), Str(raw, "imageFile", "sha1"), details);
            case "fileEvidence":
                Add(details, "path", Str(raw, "fileDetails", "filePath"));
                Add(details, "sha256", Str(raw, "fileDetails", "sha256"));
                Add(details, "device_id", Str(raw, "mdeDeviceId"));
                Add(details, "detection_status", Str(raw, "detectionStatus"));
                return ("file", Str(raw, "fileDetails", "fileName"), Str(raw, "fileDetails", "sha1"), details);
            case "ipEvidence":
                Add(details, "country", Str(raw, "countryLetterCode"));
                return ("ip", Str(raw, "ipAddress"), Str(raw, "ipAddress"), details);
            case "urlEvidence":
                return ("url", Str(raw, "url"), Str(raw, "url"), details);
            case "analyzedMessageEvidence":
                Add(details, "sender", Str(raw, "p1Sender", "emailAddress") ?? Str(raw, "senderIp"));
                Add(details, "recipient", Str(raw, "recipientEmailAddress"));
                return ("email", Str(raw, "subject"), Str(raw, "networkMessageId") ?? Str(raw, "internetMessageId"), details);
            case "registryKeyEvidence" or "registryValueEvidence":
                Add(details, "value_name", Str(raw, "registryValueName"));
                Add(details, "value", Str(raw, "registryValue"));
                return ("registry", Str(raw, "registryKey"), null, details);
            default:
                return (evidence.Type, null, null, details);
        }
    }

    private static (string, string?, string?, Dictionary<string, string>) User(JsonElement raw, string property, Dictionary<string, string> details)
    {
        var domain = Str(raw, property, "domainName");
        var account = Str(raw, property, "accountName");
        Add(details, "upn", Str(raw, property, "userPrincipalName"));
        Add(details, "display_name", Str(raw, property, "displayName"));
        var name = domain is null ? account : $"{domain}\\{account}";
        return ("user", name, Str(raw, property, "userSid") ?? Str(raw, property, "userPrincipalName"), details);
    }

    private static string? Str(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => Text.Clip(element.GetString(), 512),
            JsonValueKind.Number => element.GetRawText(),
            _ => null,
        };
    }

    private static void Add(Dictionary<string, string> details, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            details[name] = value;
        }
    }

    private sealed class Builder(string type, string? name, string? id, Dictionary<string, string> details)
    {
        public string Type { get; } = type;

        public string? Name { get; } = name;

        public string? Id { get; } = id;

        public Dictionary<string, string> Details { get; } = details;

        public string? Verdict { get; set; }

        public SortedSet<string> Roles { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> AlertIds { get; } = new(StringComparer.Ordinal);
    }
}
