using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DefenderMcp.Emulator.Hunting;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// Deterministic sample data for a tenant (seeded by its key): devices, users, incidents with alerts and evidence,
/// hunting tables, and one attack story: phishing → encoded PowerShell → credential dumping → lateral movement.
/// </summary>
public static class DataGenerator
{
    /// <summary>
    /// The dropped payload's SHA1 in every story (documented in docs/emulator.md): the hash of the bytes live response
    /// collects (<see cref="DeviceFiles.Payload"/>), so a collected file's hash finds the story's devices and alerts.
    /// </summary>
    public const string PayloadSha1 = "ecb2a5847841bc1130fb401405cf8114a2b2621e";

    /// <summary>The dropped payload's SHA256.</summary>
    public const string PayloadSha256 = "98876df7141eff4673243635253b587caca11ed5d9d05def115a1c45b29922e0";

    /// <summary>The dropped payload's size in bytes (<see cref="DeviceFiles.Payload"/>'s length).</summary>
    public const int PayloadSize = 482304;

    /// <summary>The dropped payload's file name.</summary>
    public const string PayloadName = "OneDriveUpdater.exe";

    /// <summary>Builds a tenant's data relative to <paramref name="now"/>.</summary>
    public static TenantData Generate(EmulatedTenant tenant, int index, DateTime now, int rowsPerTable = 2000)
    {
        var names = StoryNames.For(tenant.Key, index);
        var random = new Random(Seed(tenant.Key));
        var devices = Devices(names, random, now);
        var story = new Story(names, devices, now);
        var (incidents, alerts) = Incidents(tenant, names, devices, story, random, now);
        return new TenantData(tenant, devices.Select(d => d.Machine).ToList(), incidents, alerts, () => Tables(tenant, names, devices, story, alerts, Seed(tenant.Key), now, rowsPerTable));
    }

    /// <summary>Rebuilds one table with <paramref name="rows"/> background rows (benchmarks).</summary>
    public static HuntingTable ResizeTable(TenantData data, int index, string table, int rows, DateTime now)
    {
        var names = StoryNames.For(data.Tenant.Key, index);
        var devices = Devices(names, new Random(Seed(data.Tenant.Key)), now);
        var story = new Story(names, devices, now);
        return HuntingTableBuilder.Build(data.Tenant, names, devices, story, data.Alerts, Seed(data.Tenant.Key), now, rows, table)[table];
    }

    internal static int Seed(string key) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0);

    internal static string Hex(string seed, int bytes) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..(bytes * 2)];

    private static List<Device> Devices(StoryNames n, Random random, DateTime now)
    {
        var list = new List<Device>
        {
            new($"{n.Prefix}-dc-01.{n.Domain}", "WindowsServer2022", "Server", ["DomainController", "Tier0"], $"{n.Subnet}.10", "High"),
            new($"{n.Prefix}-dc-02.{n.Domain}", "WindowsServer2022", "Server", ["DomainController", "Tier0"], $"{n.Subnet}.11", "High"),
            new($"{n.Prefix}-srv-file-01.{n.Domain}", "WindowsServer2019", "Server", ["FileServer"], $"{n.Subnet}.20", "High"),
            new($"{n.Prefix}-srv-sql-01.{n.Domain}", "WindowsServer2019", "Server", ["Database"], $"{n.Subnet}.21", "High"),
            new($"{n.Prefix}-srv-web-01.{n.Domain}", "Linux", "Server", ["DMZ"], $"{n.Subnet}.30", "Normal"),
        };
        string[] teams = ["fin-lt", "hr-lt", "eng-ws", "sales-lt", "exec-lt"];
        for (var i = 0; i < 15; i++)
        {
            var team = teams[i % teams.Length];
            list.Add(new($"{n.Prefix}-{team}-{(i * 7) + 11:000}.{n.Domain}", i % 4 == 3 ? "Windows10" : "Windows11", "Workstation", team.StartsWith("exec", StringComparison.Ordinal) ? ["VIP"] : [], $"{n.Subnet}.{100 + i}", team.StartsWith("exec", StringComparison.Ordinal) ? "High" : "Normal"));
        }

        foreach (var d in list)
        {
            var first = now.AddDays(-random.Next(60, 400));
            var story = d.Name.Contains("-fin-lt-011", StringComparison.Ordinal) || d.Name.Contains("srv-file", StringComparison.Ordinal);
            var risk = story ? "High" : new[] { "None", "Low", "Low", "Medium", "Informational" }[random.Next(5)];
            // The draws keep their seeded order (last seen, external address, health). Inactive means the device has
            // not reported for 7 days or more, so its last report is 8 to 27 days back; an active one reported today.
            var minutesSinceReport = random.Next(5, 600);
            var externalAddress = $"198.51.100.{random.Next(2, 250)}";
            var inactive = random.Next(10) == 0 && !story;
            var lastSeen = inactive ? now.AddDays(-8 - (minutesSinceReport % 20)) : now.AddMinutes(-minutesSinceReport);
            d.Machine = new JsonObject
            {
                ["id"] = d.Id,
                ["computerDnsName"] = d.Name,
                ["firstSeen"] = Iso(first),
                ["lastSeen"] = Iso(lastSeen),
                ["osPlatform"] = d.Os,
                ["version"] = d.Os.StartsWith("Windows1", StringComparison.Ordinal) ? "23H2" : d.Os == "Linux" ? "22.04" : "1809",
                ["osProcessor"] = "x64",
                ["osArchitecture"] = "64-bit",
                ["osBuild"] = d.Os == "Windows11" ? 22631 : d.Os == "Windows10" ? 19045 : 20348,
                ["lastIpAddress"] = d.Ip,
                ["lastExternalIpAddress"] = externalAddress,
                // The story's laptop and file server report to this day (the file server is contained in the story);
                // the draw is made for every device so the seeded sequence is unchanged.
                ["healthStatus"] = inactive ? "Inactive" : "Active",
                ["onboardingStatus"] = "onboarded",
                ["rbacGroupId"] = d.Kind == "Server" ? 10 : 20,
                ["rbacGroupName"] = d.Kind == "Server" ? "Servers" : "Workstations",
                ["riskScore"] = risk,
                ["exposureLevel"] = d.Kind == "Server" ? "High" : new[] { "Low", "Medium" }[random.Next(2)],
                ["deviceValue"] = d.Value,
                ["aadDeviceId"] = Guid(d.Name + "aad"),
                ["isAadJoined"] = d.Kind == "Workstation",
                ["machineTags"] = new JsonArray([.. d.Tags.Select(t => (JsonNode)JsonValue.Create(t)!)]),
                ["ipAddresses"] = new JsonArray(new JsonObject { ["ipAddress"] = d.Ip, ["macAddress"] = Hex(d.Name, 6).ToUpperInvariant(), ["operationalStatus"] = "Up" }),
            };
        }

        return list;
    }

    private static (List<JsonObject> Incidents, List<JsonObject> Alerts) Incidents(EmulatedTenant tenant, StoryNames n, List<Device> devices, Story s, Random random, DateTime now)
    {
        var incidents = new List<JsonObject>();
        var alerts = new List<JsonObject>();
        var storyId = n.IncidentBase.ToString(CultureInfo.InvariantCulture);
        var victim = s.Victim;
        var server = s.Server;
        JsonObject User(string account) => Evidence("userEvidence", ["compromised"], new JsonObject
        {
            ["userAccount"] = new JsonObject { ["accountName"] = account, ["domainName"] = n.NetBios, ["userSid"] = Sid(n, account), ["azureAdUserId"] = Guid(account + n.Domain), ["userPrincipalName"] = $"{account}@{n.Domain}", ["displayName"] = Display(account) },
        });
        JsonObject DeviceEv(Device d) => Evidence("deviceEvidence", ["compromised"], new JsonObject
        {
            ["mdeDeviceId"] = d.Id, ["azureAdDeviceId"] = Guid(d.Name + "aad"), ["deviceDnsName"] = d.Name, ["osPlatform"] = d.Os,
            ["osBuild"] = d.Machine["osBuild"]!.DeepClone(), ["version"] = d.Machine["version"]!.DeepClone(), ["firstSeenDateTime"] = d.Machine["firstSeen"]!.DeepClone(),
            ["healthStatus"] = "active", ["riskScore"] = d.Machine["riskScore"]!.GetValue<string>().ToLowerInvariant(), ["onboardingStatus"] = "onboarded", ["defenderAvStatus"] = "updated",
            ["ipInterfaces"] = new JsonArray(d.Ip), ["loggedOnUsers"] = new JsonArray(new JsonObject { ["accountName"] = s.User, ["domainName"] = n.NetBios }),
            ["rbacGroupId"] = d.Kind == "Server" ? 10 : 20, ["rbacGroupName"] = d.Kind == "Server" ? "Servers" : "Workstations", ["vmMetadata"] = null,
        });
        // Image and parent paths and hashes are the ones the hunting rows carry (HuntingTableBuilder), so a pivot from the
        // evidence finds the same file: procdump's parent is the dropped payload itself.
        JsonObject Process(Device d, string commandLine, JsonObject image, JsonObject parentImage) => Evidence("processEvidence", ["suspicious"], new JsonObject
        {
            ["processId"] = 4000 + (Math.Abs(commandLine.GetHashCode(StringComparison.Ordinal)) % 4000), ["parentProcessId"] = 3120, ["processCommandLine"] = commandLine,
            ["processCreationDateTime"] = Iso(s.Start.AddMinutes(12)), ["parentProcessCreationDateTime"] = Iso(s.Start.AddMinutes(2)), ["detectionStatus"] = "detected", ["mdeDeviceId"] = d.Id,
            ["imageFile"] = image,
            ["parentProcessImageFile"] = parentImage,
            ["userAccount"] = new JsonObject { ["accountName"] = s.User, ["domainName"] = n.NetBios, ["userSid"] = Sid(n, s.User), ["userPrincipalName"] = $"{s.User}@{n.Domain}" },
        });

        var storyAlerts = new (string Title, string Category, string Source, string Detection, string[] Mitre, int Minutes, JsonObject[] Evidence)[]
        {
            ("Phishing email with a malicious link was delivered and clicked", "InitialAccess", "microsoftDefenderForOffice365", "microsoftDefenderForOffice365", ["T1566.002"], 0,
                [User(s.User), Evidence("urlEvidence", ["suspicious"], new JsonObject { ["url"] = s.PhishUrl }),
                 Evidence("mailboxEvidence", ["contextual"], new JsonObject { ["displayName"] = Display(s.User), ["primaryAddress"] = $"{s.User}@{n.Domain}", ["userAccount"] = new JsonObject { ["accountName"] = s.User, ["domainName"] = n.NetBios, ["userPrincipalName"] = $"{s.User}@{n.Domain}", ["displayName"] = Display(s.User) } }),
                 Evidence("analyzedMessageEvidence", ["suspicious"], new JsonObject { ["networkMessageId"] = s.MessageId, ["subject"] = "Action required: payroll update", ["recipientEmailAddress"] = $"{s.User}@{n.Domain}", ["p1Sender"] = new JsonObject { ["emailAddress"] = $"payroll@{n.AttackerDomain}" }, ["senderIp"] = n.AttackerIp })]),
            ("Suspicious PowerShell command line", "Execution", "microsoftDefenderForEndpoint", "microsoftDefenderForEndpoint", ["T1059.001", "T1027"], 9,
                [DeviceEv(victim), User(s.User), Process(victim, s.EncodedCommand,
                    Image("powershell.exe", @"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe", "6cbce4a295c163791b60fc23d285e6d84f28ee4c"),
                    Image("WINWORD.EXE", @"C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE")),
                 Evidence("ipEvidence", ["attacker"], new JsonObject { ["ipAddress"] = n.AttackerIp, ["countryLetterCode"] = "NL" }),
                 Evidence("fileEvidence", ["created"], new JsonObject { ["detectionStatus"] = "detected", ["mdeDeviceId"] = victim.Id, ["fileDetails"] = FileDetails(PayloadName, $"C:\\Users\\{s.User}\\AppData\\Local\\Temp\\{PayloadName}", PayloadSha1, PayloadSha256) })]),
            ("Credential dumping from LSASS memory", "CredentialAccess", "microsoftDefenderForEndpoint", "microsoftDefenderForEndpoint", ["T1003.001"], 31,
                [DeviceEv(victim), User(s.User), Process(victim, "procdump64.exe -accepteula -ma lsass.exe C:\\Users\\Public\\lsass.dmp",
                    Image("procdump64.exe", $@"C:\Users\{s.User}\AppData\Local\Temp\procdump64.exe", "d2ab8b1e27b7b3ba1f8e5b6a3f55aeb3b3a4cf86"),
                    FileDetails(PayloadName, $@"C:\Users\{s.User}\AppData\Local\Temp\{PayloadName}", PayloadSha1, PayloadSha256))]),
            ("Lateral movement using PsExec to a file server", "LateralMovement", "microsoftDefenderForEndpoint", "microsoftDefenderForEndpoint", ["T1021.002", "T1569.002"], 58,
                [DeviceEv(victim), DeviceEv(server), User(s.User), Process(server, "C:\\Windows\\PSEXESVC.exe",
                    Image("PSEXESVC.exe", @"C:\Windows\PSEXESVC.exe", "a1d7b0a6f5d2a0c2e3cbd27a9b6fd5f3c2a6e911"),
                    Image("services.exe", @"C:\Windows\System32\services.exe")),
                 Evidence("registryKeyEvidence", ["created"], new JsonObject { ["registryKey"] = "SYSTEM\\CurrentControlSet\\Services\\PSEXESVC", ["registryHive"] = "HKEY_LOCAL_MACHINE" }),
                 Evidence("fileEvidence", ["created"], new JsonObject { ["detectionStatus"] = "detected", ["mdeDeviceId"] = server.Id, ["fileDetails"] = FileDetails(PayloadName, $"C:\\ProgramData\\{PayloadName}", PayloadSha1, PayloadSha256) })]),
        };
        var storyAlertIds = new List<string>();
        foreach (var (a, i) in storyAlerts.Select((a, i) => (a, i)))
        {
            var alert = Alert(tenant, storyId, i, a.Title, "high", "new", a.Category, a.Source, a.Detection, a.Mitre, s.Start.AddMinutes(a.Minutes), a.Evidence);
            alerts.Add(alert);
            storyAlertIds.Add(alert["id"]!.GetValue<string>());
        }

        incidents.Add(Incident(tenant, storyId, $"Multi-stage incident involving Initial access & Credential access on {victim.Name.Split('.')[0]}", "high", "active", "unknown", "unknown", null, s.Start, now.AddMinutes(-20), ["Phishing", "HumanOperated"]));

        var others = new (string Title, string Severity, string Status, string Classification, string Determination, string Category, string[] Mitre)[]
        {
            ("Unwanted software was detected", "low", "resolved", "truePositive", "unwantedSoftware", "Malware", ["T1204"]),
            ("Suspicious sign-in from an unfamiliar location", "medium", "inProgress", "unknown", "unknown", "InitialAccess", ["T1078"]),
            ("Malware was detected and remediated", "medium", "resolved", "truePositive", "malware", "Malware", ["T1204.002"]),
            ("Multiple failed logon attempts", "low", "active", "unknown", "unknown", "CredentialAccess", ["T1110"]),
            ("Network port scan from an internal host", "medium", "active", "unknown", "unknown", "Discovery", ["T1046"]),
            ("Suspicious service installation", "high", "resolved", "falsePositive", "other", "Persistence", ["T1543.003"]),
            ("An informational security test was run", "informational", "resolved", "informationalExpectedActivity", "securityTesting", "Execution", ["T1059"]),
        };
        foreach (var (o, i) in others.Select((o, i) => (o, i)))
        {
            var id = (n.IncidentBase + i + 1).ToString(CultureInfo.InvariantCulture);
            var created = now.AddDays(-(i + 3)).AddHours(-random.Next(0, 12));
            var device = devices[5 + ((i * 3) % 15)];
            var user = n.Users[1 + (i % 9)];
            var count = 1 + (i % 3);
            for (var k = 0; k < count; k++)
            {
                var status = o.Status == "resolved" ? "resolved" : o.Status == "inProgress" ? "inProgress" : "new";
                alerts.Add(Alert(tenant, id, k, k == 0 ? o.Title : $"{o.Title} ({k + 1})", o.Severity, status, o.Category, "microsoftDefenderForEndpoint", "microsoftDefenderForEndpoint", o.Mitre, created.AddMinutes(k * 7),
                    [DeviceEv(device), User(user)], o.Classification, o.Determination));
            }

            incidents.Add(Incident(tenant, id, $"{o.Title} on {device.Name.Split('.')[0]}", o.Severity, o.Status, o.Classification, o.Determination, o.Status == "active" ? null : $"secops@{n.Domain}", created, created.AddHours(6), []));
        }

        return (incidents, alerts);
    }

    private static JsonObject Incident(EmulatedTenant t, string id, string name, string severity, string status, string classification, string determination, string? assignedTo, DateTime created, DateTime updated, string[] tags) => new()
    {
        ["id"] = id,
        ["tenantId"] = t.TenantId,
        ["status"] = status,
        ["incidentWebUrl"] = $"https://security.microsoft.com/incidents/{id}?tid={t.TenantId}",
        ["redirectIncidentId"] = null,
        ["displayName"] = name,
        ["description"] = $"{name}. Investigate the alerts and the impacted entities.",
        ["createdDateTime"] = Iso(created),
        ["lastUpdateDateTime"] = Iso(updated),
        ["assignedTo"] = assignedTo,
        ["classification"] = classification,
        ["determination"] = determination,
        ["severity"] = severity,
        ["customTags"] = new JsonArray([.. tags.Select(x => (JsonNode)JsonValue.Create(x)!)]),
        ["systemTags"] = new JsonArray(),
        ["comments"] = new JsonArray(),
    };

    private static JsonObject Alert(EmulatedTenant t, string incidentId, int index, string title, string severity, string status, string category, string serviceSource, string detectionSource, string[] mitre, DateTime created, JsonObject[] evidence, string classification = "unknown", string determination = "unknown")
    {
        var id = $"da{Numeric(t.Key + incidentId + index, 18)}_{-1 * (long.Parse(Numeric(title + index, 9), CultureInfo.InvariantCulture) + 1)}";
        return new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.security.alert",
            ["id"] = id,
            ["providerAlertId"] = id[2..],
            ["incidentId"] = incidentId,
            ["status"] = status,
            ["severity"] = severity,
            ["classification"] = classification,
            ["determination"] = determination,
            ["serviceSource"] = serviceSource,
            ["detectionSource"] = detectionSource,
            ["detectorId"] = Guid(title),
            ["tenantId"] = t.TenantId,
            ["title"] = title,
            ["description"] = $"{title}. This alert was raised by the emulator's sample data.",
            ["recommendedActions"] = "Review the evidence, contain affected devices and reset compromised credentials.",
            ["category"] = category,
            ["assignedTo"] = null,
            ["alertWebUrl"] = $"https://security.microsoft.com/alerts/{id}?tid={t.TenantId}",
            ["incidentWebUrl"] = $"https://security.microsoft.com/incidents/{incidentId}?tid={t.TenantId}",
            ["actorDisplayName"] = null,
            ["threatDisplayName"] = category == "CredentialAccess" ? "HackTool:Win32/Mimikatz" : null,
            ["threatFamilyName"] = null,
            ["mitreTechniques"] = new JsonArray([.. mitre.Select(m => (JsonNode)JsonValue.Create(m)!)]),
            ["createdDateTime"] = Iso(created),
            ["lastUpdateDateTime"] = Iso(created.AddMinutes(5)),
            ["resolvedDateTime"] = status == "resolved" ? Iso(created.AddHours(4)) : null,
            ["firstActivityDateTime"] = Iso(created.AddMinutes(-2)),
            ["lastActivityDateTime"] = Iso(created),
            ["comments"] = new JsonArray(),
            ["evidence"] = new JsonArray([.. evidence.Select(e => { var copy = (JsonObject)e.DeepClone(); copy["createdDateTime"] = Iso(created); return (JsonNode)copy; })]),
            ["systemTags"] = new JsonArray(),
        };
    }

    private static JsonObject Evidence(string type, string[] roles, JsonObject fields)
    {
        var e = new JsonObject
        {
            ["@odata.type"] = $"#microsoft.graph.security.{type}",
            ["createdDateTime"] = null,
            ["verdict"] = roles.Contains("compromised") || roles.Contains("attacker") ? "malicious" : "suspicious",
            ["remediationStatus"] = "none",
            ["remediationStatusDetails"] = null,
            ["roles"] = new JsonArray([.. roles.Select(r => (JsonNode)JsonValue.Create(r)!)]),
            ["detailedRoles"] = new JsonArray(),
            ["tags"] = new JsonArray(),
        };
        foreach (var (k, v) in fields.ToList())
        {
            fields.Remove(k);
            e[k] = v;
        }

        return e;
    }

    // A process image: its SHA-256 is derived from the SHA-1 the hunting rows carry, or both from the name when the story
    // gives none.
    // Its size is the one its process rows carry (ImageSize of the hash); an image no row shows has none to give.
    private static JsonObject Image(string name, string path, string? sha1 = null) =>
        FileDetails(name, path, sha1 ?? Hex(name, 20), sha1 is null ? Hex(name + "256", 32) : Hex(sha1, 32), sha1 is not null || HuntingTableBuilder.IsCommonProcess(name) ? ImageSize(sha1 ?? Hex(name, 20)) : null);

    private static JsonObject FileDetails(string name, string path, string sha1, string sha256, int? size = PayloadSize) => new()
    {
        ["sha1"] = sha1, ["sha256"] = sha256, ["fileName"] = name, ["filePath"] = path, ["fileSize"] = size, ["filePublisher"] = null, ["signer"] = null, ["issuer"] = null,
    };

    /// <summary>
    /// The size of a process image by its SHA-1, stable per hash: the hunting rows and the alerts' evidence both use it,
    /// so a file has one size everywhere (the payload keeps the size of its bytes).
    /// </summary>
    internal static int ImageSize(string sha1) => 50_000 + (int)((uint)Seed(sha1) % 4_000_000);

    private static IReadOnlyDictionary<string, HuntingTable> Tables(EmulatedTenant tenant, StoryNames n, List<Device> devices, Story s, IReadOnlyList<JsonObject> alerts, int seed, DateTime now, int rowsPerTable) =>
        HuntingTableBuilder.Build(tenant, n, devices, s, alerts, seed, now, rowsPerTable);

    internal static string Iso(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    internal static string Guid(string seed) => new Guid(MD5.HashData(Encoding.UTF8.GetBytes(seed))).ToString();

    internal static string Sid(StoryNames n, string account) => $"S-1-5-21-{Math.Abs(Seed(n.Domain)) % 999999999}-1004-{1100 + Math.Abs(Seed(account)) % 900}";

    private static string Numeric(string seed, int digits)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        var sb = new StringBuilder();
        foreach (var b in hash)
        {
            sb.Append((b % 10).ToString(CultureInfo.InvariantCulture));
            if (sb.Length == digits)
            {
                break;
            }
        }

        return sb.ToString();
    }

    private static string Display(string account) =>
        string.Join(' ', account.Split('.').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
}
