using System.Text.Json.Nodes;
using DefenderMcp.Emulator.Hunting;

namespace DefenderMcp.Emulator.Data;

/// <summary>Builds a tenant's hunting tables: seeded background activity over 30 days, plus the attack story's rows.</summary>
public static class HuntingTableBuilder
{
    private static readonly (string File, string Folder, string Parent, string Args)[] Processes =
    [
        ("chrome.exe", @"C:\Program Files\Google\Chrome\Application", "explorer.exe", "--type=renderer"),
        ("ms-teams.exe", @"C:\Program Files\WindowsApps\MSTeams", "explorer.exe", ""),
        ("svchost.exe", @"C:\Windows\System32", "services.exe", "-k netsvcs -p"),
        ("powershell.exe", @"C:\Windows\System32\WindowsPowerShell\v1.0", "svchost.exe", @"-NoProfile -ExecutionPolicy Bypass -File C:\ProgramData\IT\inventory.ps1"),
        ("cmd.exe", @"C:\Windows\System32", "explorer.exe", "/c ipconfig /all"),
        ("OUTLOOK.EXE", @"C:\Program Files\Microsoft Office\root\Office16", "explorer.exe", ""),
        ("WINWORD.EXE", @"C:\Program Files\Microsoft Office\root\Office16", "OUTLOOK.EXE", "/n"),
        ("msedge.exe", @"C:\Program Files (x86)\Microsoft\Edge\Application", "explorer.exe", ""),
        ("git.exe", @"C:\Program Files\Git\cmd", "cmd.exe", "pull"),
        ("MsMpEng.exe", @"C:\ProgramData\Microsoft\Windows Defender\Platform", "services.exe", ""),
    ];

    /// <summary>Whether the background process rows include <paramref name="file"/> (so a hunt can size its image).</summary>
    internal static bool IsCommonProcess(string file) => Processes.Any(p => p.File == file);

    /// <summary>Every table, keyed by name; with <paramref name="only"/>, only that table gets rows (the others stay empty).</summary>
    public static IReadOnlyDictionary<string, HuntingTable> Build(EmulatedTenant tenant, StoryNames n, List<Device> devices, Story s, IReadOnlyList<JsonObject> alerts, int seed, DateTime now, int rows, string? only = null)
    {
        var random = new Random(seed);
        var tables = HuntingColumns.ByTable.ToDictionary(kv => kv.Key, kv => new HuntingTable(kv.Key, kv.Value), StringComparer.Ordinal);
        var workstations = devices.Where(d => d.Kind == "Workstation").ToList();
        long report = 1000;
        DateTime When() => now.AddSeconds(-random.Next(60, 30 * 24 * 3600));
        // Tables added later draw from their own sequence so the older tables keep their rows.
        var extra = new Random(seed ^ 0x5eed);
        DateTime ExtraWhen() => now.AddSeconds(-extra.Next(60, 30 * 24 * 3600));
        Device AnyDevice() => devices[random.Next(devices.Count)];
        string AnyUser() => n.Users[random.Next(n.Users.Count)];

        // A workstation's own activity is its user's (DeviceInfo's LoggedOnUsers), so a user's devices are the laptop
        // they use and the servers, not every device; the drawn user is still drawn, so the seeded sequence is unchanged.
        string UserOn(Device d, string drawn) => d.Kind == "Workstation" ? HuntingRowContext.OwnerOf(n, s, d) : drawn;
        void Add(string table, Dictionary<string, object?> values)
        {
            if (only is not null && !string.Equals(only, table, StringComparison.Ordinal))
            {
                return;
            }

            var t = tables[table];
            var row = new object?[t.Columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                var column = t.Columns[i];
                row[i] = values.TryGetValue(column.Name, out var v) ? v : column.Type switch { "string" => string.Empty, "bool" => false, _ => null };
            }

            t.Rows.Add(row);
        }

        Dictionary<string, object?> Base(DateTime ts, Device d, string action, string user, string initiating = "explorer.exe") => new()
        {
            ["Timestamp"] = ts, ["DeviceId"] = d.Id, ["DeviceName"] = d.Name, ["ActionType"] = action, ["ReportId"] = report++,
            ["InitiatingProcessAccountDomain"] = n.NetBios.ToLowerInvariant(), ["InitiatingProcessAccountName"] = user,
            ["InitiatingProcessFileName"] = initiating, ["InitiatingProcessId"] = (long)random.Next(1000, 9000),
            ["InitiatingProcessFolderPath"] = @"C:\Windows\" + initiating, ["InitiatingProcessSHA1"] = DataGenerator.Hex(initiating, 20),
            ["InitiatingProcessCommandLine"] = initiating, ["InitiatingProcessParentFileName"] = "userinit.exe",
        };

        for (var i = 0; i < rows; i++)
        {
            var d = AnyDevice();
            var user = UserOn(d, AnyUser());
            var p = Processes[random.Next(Processes.Length)];
            var ts = When();
            var proc = Base(ts, d, "ProcessCreated", user, p.Parent);
            proc["FileName"] = p.File;
            proc["FolderPath"] = p.Folder + "\\" + p.File;
            proc["SHA1"] = DataGenerator.Hex(p.File, 20);
            proc["SHA256"] = DataGenerator.Hex(p.File + "256", 32);
            proc["MD5"] = DataGenerator.Hex(p.File + "md5", 16);
            proc["FileSize"] = (long)DataGenerator.ImageSize((string)proc["SHA1"]!);
            proc["ProcessId"] = (long)random.Next(1000, 30000);
            proc["ProcessCommandLine"] = (p.File + " " + p.Args).Trim();
            proc["ProcessIntegrityLevel"] = "Medium";
            proc["ProcessCreationTime"] = ts;
            proc["AccountDomain"] = n.NetBios.ToLowerInvariant();
            proc["AccountName"] = user;
            proc["AccountSid"] = DataGenerator.Sid(n, user);
            proc["AccountUpn"] = $"{user}@{n.Domain}";
            proc["LogonId"] = (long)random.Next(100000, 999999);
            Add("DeviceProcessEvents", proc);

            // Drawn in the order the call below used to draw them, so the rows stay the same; LocalIP is now this device's.
            var netTime = When();
            var netDevice = AnyDevice();
            var net = Base(netTime, netDevice, random.Next(10) == 0 ? "ConnectionFailed" : "ConnectionSuccess", UserOn(netDevice, AnyUser()), "chrome.exe");
            var external = random.Next(3) > 0;
            net["RemoteIP"] = external ? $"{random.Next(20, 200)}.{random.Next(0, 255)}.{random.Next(0, 255)}.{random.Next(1, 254)}" : $"{n.Subnet}.{random.Next(2, 254)}";
            net["RemotePort"] = external ? 443 : new[] { 445, 389, 88, 135 }[random.Next(4)];
            net["RemoteUrl"] = external ? new[] { "www.microsoft.com", "login.microsoftonline.com", "github.com", "outlook.office365.com", "cdn.example.net" }[random.Next(5)] : string.Empty;
            net["LocalIP"] = netDevice.Ip;
            net["LocalPort"] = random.Next(49152, 65535);
            net["Protocol"] = "Tcp";
            net["LocalIPType"] = "Private";
            net["RemoteIPType"] = external ? "Public" : "Private";
            Add("DeviceNetworkEvents", net);

            var success = random.Next(12) > 0;
            var logonTime = When();
            var logonDevice = AnyDevice();
            var logon = Base(logonTime, logonDevice, success ? "LogonSuccess" : "LogonFailed", UserOn(logonDevice, AnyUser()), "lsass.exe");
            logon["LogonType"] = new[] { "Interactive", "Network", "Network", "RemoteInteractive", "Service", "Unlock" }[random.Next(6)];
            logon["AccountDomain"] = n.NetBios.ToLowerInvariant();
            logon["AccountName"] = logon["InitiatingProcessAccountName"];
            logon["AccountSid"] = DataGenerator.Sid(n, (string)logon["AccountName"]!);
            logon["Protocol"] = "Kerberos";
            logon["FailureReason"] = success ? string.Empty : "InvalidUserNameOrPassword";
            logon["IsLocalAdmin"] = random.Next(8) == 0;
            logon["LogonId"] = (long)random.Next(100000, 999999);
            Add("DeviceLogonEvents", logon);

            if (i % 2 == 0)
            {
                var fileTime = When();
                var fileDevice = AnyDevice();
                var file = Base(fileTime, fileDevice, random.Next(3) == 0 ? "FileModified" : "FileCreated", UserOn(fileDevice, AnyUser()), "WINWORD.EXE");
                var doc = $"Report-{random.Next(100, 999)}.docx";
                file["FileName"] = doc;
                file["FolderPath"] = $@"C:\Users\{file["InitiatingProcessAccountName"]}\Documents\{doc}";
                file["SHA1"] = DataGenerator.Hex(doc, 20);
                file["SHA256"] = DataGenerator.Hex(doc + "256", 32);
                file["FileSize"] = (long)random.Next(10_000, 2_000_000);
                file["RequestProtocol"] = "Local";
                Add("DeviceFileEvents", file);

                var reg = Base(When(), AnyDevice(), "RegistryValueSet", "system", "svchost.exe");
                reg["RegistryKey"] = @"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate";
                reg["RegistryValueType"] = "Dword";
                reg["RegistryValueName"] = "LastScan";
                reg["RegistryValueData"] = random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
                Add("DeviceRegistryEvents", reg);

                var imageTime = When();
                var imageDevice = AnyDevice();
                var image = Base(imageTime, imageDevice, "ImageLoaded", UserOn(imageDevice, AnyUser()), p.File);
                image["FileName"] = "ntdll.dll";
                image["FolderPath"] = @"C:\Windows\System32\ntdll.dll";
                image["SHA1"] = DataGenerator.Hex("ntdll", 20);
                Add("DeviceImageLoadEvents", image);

                var evTime = When();
                var evDevice = AnyDevice();
                var ev = Base(evTime, evDevice, new[] { "AntivirusScanCompleted", "SmartScreenUrlWarning", "ExploitGuardNetworkProtectionAudited" }[random.Next(3)], UserOn(evDevice, AnyUser()), "MsMpEng.exe");
                ev["AdditionalFields"] = "{}";
                Add("DeviceEvents", ev);

                var mail = random.Next(1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var sender = new[] { "newsletter@fabrikam-news.example", "hr@" + n.Domain, "it@" + n.Domain, "billing@vendor.example" }[random.Next(4)];
                Add("EmailEvents", new()
                {
                    ["Timestamp"] = When(), ["NetworkMessageId"] = DataGenerator.Guid(n.Domain + mail), ["InternetMessageId"] = $"<{mail}@mail.example>",
                    ["SenderMailFromAddress"] = sender, ["SenderFromAddress"] = sender, ["SenderDisplayName"] = sender.Split('@')[0], ["SenderFromDomain"] = sender.Split('@')[1],
                    ["SenderIPv4"] = $"40.92.{random.Next(0, 255)}.{random.Next(1, 254)}", ["RecipientEmailAddress"] = $"{AnyUser()}@{n.Domain}", ["Subject"] = new[] { "Weekly update", "Meeting notes", "Invoice", "Team lunch" }[random.Next(4)],
                    ["EmailDirection"] = "Inbound", ["DeliveryAction"] = "Delivered", ["DeliveryLocation"] = "Inbox/folder", ["ConfidenceLevel"] = string.Empty,
                    ["AttachmentCount"] = random.Next(0, 3), ["UrlCount"] = random.Next(0, 4), ["ReportId"] = $"{mail}-1",
                });

                if (i % 10 == 0)
                {
                    var attachment = $"Invoice-{extra.Next(1000, 9999)}.pdf";
                    Add("EmailAttachmentInfo", new()
                    {
                        ["Timestamp"] = ExtraWhen(), ["NetworkMessageId"] = DataGenerator.Guid(n.Domain + mail), ["SenderFromAddress"] = sender, ["SenderDisplayName"] = sender.Split('@')[0],
                        ["RecipientEmailAddress"] = $"{n.Users[extra.Next(n.Users.Count)]}@{n.Domain}", ["FileName"] = attachment, ["FileType"] = "pdf", ["SHA256"] = DataGenerator.Hex(attachment, 32),
                        ["FileSize"] = (long)extra.Next(20_000, 900_000), ["ReportId"] = $"{mail}-att",
                    });
                    var signed = Processes[extra.Next(Processes.Length)];
                    Add("DeviceFileCertificateInfo", new()
                    {
                        ["Timestamp"] = ExtraWhen(), ["DeviceId"] = d.Id, ["DeviceName"] = d.Name, ["SHA1"] = DataGenerator.Hex(signed.File, 20), ["IsSigned"] = true, ["SignatureType"] = "Embedded",
                        ["Signer"] = signed.File.StartsWith("chrome", StringComparison.Ordinal) ? "Google LLC" : "Microsoft Corporation", ["SignerHash"] = DataGenerator.Hex("signer" + signed.File, 20),
                        ["Issuer"] = "Microsoft Code Signing PCA 2011", ["IssuerHash"] = DataGenerator.Hex("issuer", 20), ["CertificateSerialNumber"] = DataGenerator.Hex("serial" + signed.File, 10),
                        ["CrlDistributionPointUrls"] = "[\"http://www.microsoft.com/pkiops/crl/MicCodSigPCA2011.crl\"]", ["CertificateCreationTime"] = now.AddDays(-400), ["CertificateExpirationTime"] = now.AddDays(300),
                        ["IsTrusted"] = true, ["IsRootSignerMicrosoft"] = true, ["ReportId"] = report++,
                    });
                }

                if (i % 25 == 0)
                {
                    Add("EmailPostDeliveryEvents", new()
                    {
                        ["Timestamp"] = ExtraWhen(), ["NetworkMessageId"] = DataGenerator.Guid(n.Domain + mail), ["InternetMessageId"] = $"<{mail}@mail.example>", ["Action"] = "Moved to junk folder",
                        ["ActionType"] = "ZAP", ["ActionTrigger"] = "SpecialAction", ["ActionResult"] = "Success", ["RecipientEmailAddress"] = $"{n.Users[extra.Next(n.Users.Count)]}@{n.Domain}", ["DeliveryLocation"] = "Junk folder",
                        ["ThreatTypes"] = "Spam", ["DetectionMethods"] = "{\"Spam\":[\"Advanced filter\"]}", ["ReportId"] = $"{mail}-zap",
                    });
                    var target = n.Users[extra.Next(n.Users.Count)];
                    Add("IdentityDirectoryEvents", new()
                    {
                        ["Timestamp"] = ExtraWhen(), ["ActionType"] = extra.Next(2) == 0 ? "Account Password changed" : "Group Membership changed", ["Application"] = "Active Directory",
                        ["TargetAccountUpn"] = $"{target}@{n.Domain}", ["TargetAccountDisplayName"] = HuntingRowContext.DisplayName(target), ["TargetDeviceName"] = string.Empty, ["DestinationDeviceName"] = devices[0].Name,
                        ["DestinationIPAddress"] = devices[0].Ip, ["DestinationPort"] = 389, ["Protocol"] = "Ldap", ["AccountName"] = "svc-helpdesk", ["AccountDomain"] = n.Domain,
                        ["AccountUpn"] = $"svc-helpdesk@{n.Domain}", ["AccountSid"] = DataGenerator.Sid(n, "svc-helpdesk"), ["DeviceName"] = devices[extra.Next(devices.Count)].Name, ["IPAddress"] = $"{n.Subnet}.{extra.Next(100, 120)}",
                        ["ReportId"] = $"ide-{report++}", ["AdditionalFields"] = "{}",
                    });
                }

                var signIn = new Dictionary<string, object?>
                {
                    ["Timestamp"] = When(), ["ActionType"] = random.Next(10) == 0 ? "LogonFailed" : "LogonSuccess", ["Application"] = "Active Directory", ["LogonType"] = "Resource access",
                    ["Protocol"] = "Kerberos", ["AccountName"] = AnyUser(), ["AccountDomain"] = n.Domain, ["DeviceName"] = AnyDevice().Name, ["IPAddress"] = $"{n.Subnet}.{random.Next(100, 120)}",
                    ["DestinationDeviceName"] = devices[0].Name, ["DestinationIPAddress"] = devices[0].Ip, ["DestinationPort"] = 88, ["ReportId"] = $"id-{report++}",
                };
                // Defender for Identity names the account as IdentityInfo does (UPN, object id, SID), so a hunt can filter
                // sign-ins by AccountUpn or AccountObjectId; set after the draws above so the seeded sequence is unchanged.
                var from = devices.Find(d => d.Name == (string)signIn["DeviceName"]!)!;
                var account = UserOn(from, (string)signIn["AccountName"]!);
                signIn["AccountName"] = account;
                signIn["AccountUpn"] = $"{account}@{n.Domain}";
                signIn["AccountObjectId"] = DataGenerator.Guid(account + n.Domain);
                signIn["AccountSid"] = DataGenerator.Sid(n, account);
                signIn["AccountDisplayName"] = HuntingRowContext.DisplayName(account);
                Add("IdentityLogonEvents", signIn);
            }
        }

        for (var day = 0; day < 30; day++)
        {
            foreach (var d in devices)
            {
                Add("DeviceInfo", new()
                {
                    ["Timestamp"] = now.AddDays(-day).AddMinutes(-(d.Ip.Length * 7)), ["DeviceId"] = d.Id, ["DeviceName"] = d.Name, ["ClientVersion"] = "10.8760.22631.1000",
                    ["PublicIP"] = "198.51.100.7", ["OSArchitecture"] = "64-bit", ["OSPlatform"] = d.Os, ["OSBuild"] = d.Os == "Windows11" ? 22631L : 20348L, ["IsAzureADJoined"] = d.Kind == "Workstation",
                    ["JoinType"] = d.Kind == "Workstation" ? "Hybrid Azure AD Join" : "Domain Joined", ["AadDeviceId"] = DataGenerator.Guid(d.Name + "aad"),
                    ["LoggedOnUsers"] = $"[{{\"UserName\":\"{HuntingRowContext.OwnerOf(n, s, d)}\",\"DomainName\":\"{n.NetBios}\"}}]",
                    ["MachineGroup"] = d.Kind == "Server" ? "Servers" : "Workstations", ["OSVersion"] = "10.0", ["OnboardingStatus"] = "Onboarded", ["DeviceCategory"] = "Endpoint",
                    ["DeviceType"] = d.Kind, ["ExposureLevel"] = d.Kind == "Server" ? "High" : "Medium", ["AssetValue"] = d.Value, ["DeviceManualTags"] = "[" + string.Join(',', d.Tags.Select(t => $"\"{t}\"")) + "]",
                    ["SensorHealthState"] = "Active", ["IsInternetFacing"] = d.Tags.Contains("DMZ"), ["ReportId"] = report++,
                });
            }
        }

        foreach (var (user, index) in n.Users.Select((u, i) => (u, i)))
        {
            Add("IdentityInfo", new()
            {
                ["Timestamp"] = now.AddHours(-index), ["ReportId"] = $"ii-{report++}", ["AccountObjectId"] = DataGenerator.Guid(user + n.Domain), ["AccountUpn"] = $"{user}@{n.Domain}",
                ["OnPremSid"] = DataGenerator.Sid(n, user), ["AccountDisplayName"] = HuntingRowContext.DisplayName(user), ["AccountName"] = user, ["AccountDomain"] = n.Domain,
                ["GivenName"] = HuntingRowContext.DisplayName(user).Split(' ')[0], ["Surname"] = HuntingRowContext.DisplayName(user).Split(' ')[^1], ["CriticalityLevel"] = index == 0 ? 2 : 0,
                ["Type"] = "User", ["Department"] = new[] { "Finance", "HR", "Engineering", "Sales", "Executive" }[index % 5], ["JobTitle"] = "Employee", ["EmailAddress"] = $"{user}@{n.Domain}",
                ["IsAccountEnabled"] = true, ["Country"] = "US", ["TenantMembershipType"] = "Member", ["RiskLevel"] = index == 0 ? "High" : "Low",
            });
            Add("CloudAppEvents", new()
            {
                ["Timestamp"] = When(), ["ActionType"] = "FileDownloaded", ["Application"] = "Microsoft SharePoint Online", ["ApplicationId"] = 20892, ["AccountObjectId"] = DataGenerator.Guid(user + n.Domain),
                ["AccountDisplayName"] = HuntingRowContext.DisplayName(user), ["IPAddress"] = $"198.51.100.{10 + index}", ["CountryCode"] = "US", ["ActivityType"] = "Download", ["ObjectName"] = $"Budget-{index}.xlsx", ["ObjectType"] = "File", ["ReportId"] = $"ca-{report++}",
            });
        }

        // One adapter report a day for 30 days (what AssignedIPAddresses() and DeviceFromIP() read); the older days take
        // report ids of their own so the rows added after these keep theirs.
        for (var day = 0; day < 30; day++)
        {
            for (var index = 0; index < devices.Count; index++)
            {
                var d = devices[index];
                Add("DeviceNetworkInfo", new()
                {
                    ["Timestamp"] = now.AddDays(-day).AddHours(-1), ["DeviceId"] = d.Id, ["DeviceName"] = d.Name, ["NetworkAdapterName"] = "Ethernet", ["MacAddress"] = DataGenerator.Hex(d.Name, 6).ToUpperInvariant(),
                    ["NetworkAdapterType"] = "Ethernet", ["NetworkAdapterStatus"] = "Up", ["IPAddresses"] = $"[{{\"IPAddress\":\"{d.Ip}\",\"SubnetPrefix\":24,\"AddressType\":\"Private\"}}]",
                    ["ConnectedNetworks"] = $"[{{\"Name\":\"{n.Domain}\",\"Category\":\"Domain\",\"Description\":\"{n.Domain}\",\"IsConnectedToInternet\":true}}]",
                    ["DnsAddresses"] = $"[\"{devices[0].Ip}\"]", ["DefaultGateways"] = $"[\"{n.Subnet}.1\"]", ["ReportId"] = day == 0 ? report++ : 9_000_000L + (day * 10_000L) + index,
                });
            }
        }

        AddStory(n, s, Add, Base);
        foreach (var alert in alerts)
        {
            var created = DateTime.Parse(alert["createdDateTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
            var severity = alert["severity"]!.GetValue<string>();
            var title = alert["title"]!.GetValue<string>();
            var techniques = "[" + string.Join(',', alert["mitreTechniques"]!.AsArray().Select(m => $"\"{m}\"")) + "]";
            Add("AlertInfo", new()
            {
                ["Timestamp"] = created, ["AlertId"] = alert["id"]!.GetValue<string>(), ["Title"] = title, ["Category"] = alert["category"]!.GetValue<string>(),
                ["Severity"] = char.ToUpperInvariant(severity[0]) + severity[1..], ["ServiceSource"] = "Microsoft Defender for Endpoint", ["DetectionSource"] = "EDR", ["AttackTechniques"] = techniques,
            });
            foreach (var evidence in alert["evidence"]!.AsArray().OfType<JsonObject>())
            {
                var type = evidence["@odata.type"]!.GetValue<string>().Split('.').Last().Replace("Evidence", string.Empty, StringComparison.Ordinal);

                // AlertEvidence names a device "Machine" and an email "MailMessage" (the docs' own hunts filter on these),
                // where Graph's evidence types say deviceEvidence and analyzedMessageEvidence.
                type = type switch { "device" => "machine", "analyzedMessage" => "mailMessage", _ => type };
                Add("AlertEvidence", new()
                {
                    ["Timestamp"] = created, ["AlertId"] = alert["id"]!.GetValue<string>(), ["Title"] = title, ["Categories"] = $"[\"{alert["category"]}\"]", ["AttackTechniques"] = techniques,
                    ["ServiceSource"] = "Microsoft Defender for Endpoint", ["DetectionSource"] = "EDR", ["EntityType"] = char.ToUpperInvariant(type[0]) + type[1..], ["EvidenceRole"] = "Impacted",
                    ["DeviceId"] = evidence["mdeDeviceId"]?.GetValue<string>() ?? string.Empty, ["DeviceName"] = evidence["deviceDnsName"]?.GetValue<string>() ?? string.Empty,
                    ["FileName"] = evidence["fileDetails"]?["fileName"]?.GetValue<string>() ?? evidence["imageFile"]?["fileName"]?.GetValue<string>() ?? string.Empty,
                    ["SHA1"] = evidence["fileDetails"]?["sha1"]?.GetValue<string>() ?? evidence["imageFile"]?["sha1"]?.GetValue<string>() ?? string.Empty,
                    ["RemoteIP"] = evidence["ipAddress"]?.GetValue<string>() ?? string.Empty, ["RemoteUrl"] = evidence["url"]?.GetValue<string>() ?? string.Empty,
                    ["AccountName"] = evidence["userAccount"]?["accountName"]?.GetValue<string>() ?? string.Empty, ["ProcessCommandLine"] = evidence["processCommandLine"]?.GetValue<string>() ?? string.Empty,
                    ["Severity"] = char.ToUpperInvariant(severity[0]) + severity[1..],
                    ["RegistryKey"] = evidence["registryKey"] is { } key ? $"{evidence["registryHive"]}\\{key}" : string.Empty,
                    ["AccountUpn"] = evidence["userAccount"]?["userPrincipalName"]?.GetValue<string>() ?? string.Empty,
                    ["NetworkMessageId"] = evidence["networkMessageId"]?.GetValue<string>() ?? string.Empty,
                    ["EmailSubject"] = evidence["subject"]?.GetValue<string>() ?? string.Empty,
                });
            }
        }

        // The other documented tables draw from a random of their own, so the tables above keep their rows.
        var context = new HuntingRowContext(n, devices, s, now, new Random(seed ^ 0x7a61), Add);
        TvmRows.Add(context);
        IdentityRows.Add(context);
        CloudRows.Add(context);
        CollaborationRows.Add(context);
        foreach (var table in tables.Values)
        {
            // Newest first; inventories and knowledge bases without a Timestamp keep their order.
            var ts = table.ColumnIndex("Timestamp");
            if (ts < 0)
            {
                continue;
            }

            table.Rows.Sort((a, b) => Comparer<DateTime?>.Default.Compare((DateTime?)b[ts], (DateTime?)a[ts]));
        }

        return tables;
    }

    private static void AddStory(StoryNames n, Story s, Action<string, Dictionary<string, object?>> add, Func<DateTime, Device, string, string, string, Dictionary<string, object?>> @base)
    {
        var t0 = s.Start;
        var upn = $"{s.User}@{n.Domain}";
        add("EmailEvents", new()
        {
            ["Timestamp"] = t0, ["NetworkMessageId"] = s.MessageId, ["InternetMessageId"] = $"<{s.MessageId}@{n.AttackerDomain}>", ["SenderMailFromAddress"] = $"payroll@{n.AttackerDomain}",
            ["SenderFromAddress"] = $"payroll@{n.AttackerDomain}", ["SenderDisplayName"] = "Payroll Department", ["SenderFromDomain"] = n.AttackerDomain, ["SenderIPv4"] = n.AttackerIp,
            ["RecipientEmailAddress"] = upn, ["Subject"] = "Action required: payroll update", ["EmailDirection"] = "Inbound", ["DeliveryAction"] = "Delivered", ["DeliveryLocation"] = "Inbox/folder",
            ["ThreatTypes"] = "Phish", ["DetectionMethods"] = "{\"Phish\":[\"URL detonation reputation\"]}", ["ConfidenceLevel"] = "{\"Phish\":\"Normal\"}", ["AttachmentCount"] = 0, ["UrlCount"] = 1, ["ReportId"] = s.MessageId + "-1",
        });
        add("EmailUrlInfo", new() { ["Timestamp"] = t0, ["NetworkMessageId"] = s.MessageId, ["Url"] = s.PhishUrl, ["UrlDomain"] = n.AttackerDomain, ["UrlLocation"] = "Body", ["ReportId"] = s.MessageId + "-2" });
        add("UrlClickEvents", new()
        {
            ["Timestamp"] = t0.AddMinutes(6), ["Url"] = s.PhishUrl, ["ActionType"] = "ClickAllowed", ["AccountUpn"] = upn, ["Workload"] = "Email", ["NetworkMessageId"] = s.MessageId,
            ["ThreatTypes"] = "Phish", ["IPAddress"] = s.Victim.Ip, ["IsClickedThrough"] = true, ["UrlChain"] = $"[\"{s.PhishUrl}\"]", ["ReportId"] = s.MessageId + "-3",
        });

        Dictionary<string, object?> Proc(DateTime ts, Device d, string file, string folder, string commandLine, string parent, string sha1)
        {
            var p = @base(ts, d, "ProcessCreated", s.User, parent);
            p["FileName"] = file;
            p["FolderPath"] = folder;
            p["SHA1"] = sha1;
            p["SHA256"] = DataGenerator.Hex(sha1, 32);
            p["FileSize"] = (long)DataGenerator.ImageSize(sha1);
            p["ProcessCommandLine"] = commandLine;
            p["ProcessId"] = 6000L + file.Length;
            p["ProcessIntegrityLevel"] = "High";
            p["ProcessCreationTime"] = ts;
            p["AccountDomain"] = n.NetBios.ToLowerInvariant();
            p["AccountName"] = s.User;
            p["AccountSid"] = DataGenerator.Sid(n, s.User);
            p["AccountUpn"] = upn;
            return p;
        }

        // The payload written to a folder of a device (dropped on the laptop, copied to the file server).
        Dictionary<string, object?> Payload(DateTime ts, Device d, string writer, string folder)
        {
            var f = @base(ts, d, "FileCreated", s.User, writer);
            f["FileName"] = DataGenerator.PayloadName;
            f["FolderPath"] = folder + DataGenerator.PayloadName;
            f["SHA1"] = DataGenerator.PayloadSha1;
            f["SHA256"] = DataGenerator.PayloadSha256;
            f["FileSize"] = (long)DataGenerator.PayloadSize;
            return f;
        }

        // The phished user's logon to the file server from the compromised laptop, as a local admin.
        Dictionary<string, object?> ServerLogon(DateTime ts, string logonType, string protocol)
        {
            var l = @base(ts, s.Server, "LogonSuccess", s.User, "lsass.exe");
            l["LogonType"] = logonType;
            l["AccountDomain"] = n.NetBios.ToLowerInvariant();
            l["AccountName"] = s.User;
            l["AccountSid"] = DataGenerator.Sid(n, s.User);
            l["Protocol"] = protocol;
            l["IsLocalAdmin"] = true;
            l["RemoteDeviceName"] = s.Victim.Name;
            l["RemoteIP"] = s.Victim.Ip;
            l["RemoteIPType"] = "Private";
            return l;
        }

        add("DeviceProcessEvents", Proc(t0.AddMinutes(7), s.Victim, "msedge.exe", @"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe", $"msedge.exe {s.PhishUrl}", "OUTLOOK.EXE", DataGenerator.Hex("msedge.exe", 20)));
        add("DeviceProcessEvents", Proc(t0.AddMinutes(9), s.Victim, "powershell.exe", @"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe", s.EncodedCommand, "WINWORD.EXE", "6cbce4a295c163791b60fc23d285e6d84f28ee4c"));
        var c2 = @base(t0.AddMinutes(9).AddSeconds(4), s.Victim, "ConnectionSuccess", s.User, "powershell.exe");
        c2["RemoteIP"] = n.AttackerIp;
        c2["RemotePort"] = 80;
        c2["RemoteUrl"] = string.Empty;
        c2["LocalIP"] = s.Victim.Ip;
        c2["LocalPort"] = 50123;
        c2["Protocol"] = "Tcp";
        c2["RemoteIPType"] = "Public";
        c2["LocalIPType"] = "Private";
        add("DeviceNetworkEvents", c2);
        var drop = Payload(t0.AddMinutes(10), s.Victim, "powershell.exe", $@"C:\Users\{s.User}\AppData\Local\Temp\");
        drop["FileOriginUrl"] = $"http://{n.AttackerIp}/{DataGenerator.PayloadName}";
        drop["FileOriginIP"] = n.AttackerIp;
        add("DeviceFileEvents", drop);
        add("DeviceProcessEvents", Proc(t0.AddMinutes(31), s.Victim, "procdump64.exe", $@"C:\Users\{s.User}\AppData\Local\Temp\procdump64.exe", @"procdump64.exe -accepteula -ma lsass.exe C:\Users\Public\lsass.dmp", DataGenerator.PayloadName, "d2ab8b1e27b7b3ba1f8e5b6a3f55aeb3b3a4cf86"));
        add("DeviceLogonEvents", ServerLogon(t0.AddMinutes(57), "Network", "NTLM"));
        var service = @base(t0.AddMinutes(58).AddSeconds(-2), s.Server, "ServiceInstalled", s.User, "services.exe");
        service["FileName"] = "PSEXESVC.exe";
        service["FolderPath"] = @"C:\Windows\PSEXESVC.exe";
        service["AccountDomain"] = n.NetBios.ToLowerInvariant();
        service["AccountName"] = s.User;
        service["RemoteDeviceName"] = s.Victim.Name;
        service["RemoteIP"] = s.Victim.Ip;
        service["AdditionalFields"] = "{\"ServiceName\":\"PSEXESVC\",\"ServiceStartType\":3,\"ServiceType\":\"Service\",\"ServiceAccount\":\"LocalSystem\"}";
        add("DeviceEvents", service);
        add("DeviceProcessEvents", Proc(t0.AddMinutes(58), s.Server, "PSEXESVC.exe", @"C:\Windows\PSEXESVC.exe", @"C:\Windows\PSEXESVC.exe", "services.exe", "a1d7b0a6f5d2a0c2e3cbd27a9b6fd5f3c2a6e911"));
        var copy = Payload(t0.AddMinutes(59), s.Server, "PSEXESVC.exe", @"C:\ProgramData\");
        copy["RequestProtocol"] = "SMB";
        copy["RequestSourceIP"] = s.Victim.Ip;
        copy["RequestAccountName"] = s.User;
        copy["ShareName"] = "ADMIN$";
        add("DeviceFileEvents", copy);
        add("DeviceLogonEvents", ServerLogon(t0.AddMinutes(74), "RemoteInteractive", "Negotiate"));
    }
}
