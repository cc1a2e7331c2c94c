namespace DefenderMcp.Emulator.Data;

/// <summary>
/// Rows of the collaboration, data security, behavior and disruption tables: the story's phishing campaign, Teams
/// messages (one carrying the phishing link, removed after delivery), a malicious file in SharePoint, Purview insider
/// risk events, the UEBA behavior of the stolen session, and the attack disruption that contained the phished user on
/// the file server.
/// </summary>
public static class CollaborationRows
{
    /// <summary>Adds the rows of the collaboration, data security, behavior and disruption tables.</summary>
    public static void Add(HuntingRowContext c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var n = c.Names;
        var s = c.Story;
        var campaign = DataGenerator.Guid(n.Domain + "campaign");
        c.Add("CampaignInfo", new()
        {
            ["Timestamp"] = s.Start, ["CampaignName"] = "Payroll update credential phish", ["CampaignId"] = campaign, ["CampaignType"] = "Phish",
            ["CampaignSubtype"] = "Payroll", ["NetworkMessageId"] = s.MessageId, ["RecipientEmailAddress"] = c.Upn(s.User), ["ReportId"] = campaign + "-1",
        });

        for (var j = 0; j < 30; j++)
        {
            var sender = n.Users[c.Random.Next(n.Users.Count)];
            var recipient = n.Users[c.Random.Next(n.Users.Count)];
            Message(c, c.Recent(), $"teams-{j}", sender, recipient, "Lunch at noon?", string.Empty, false, j % 10 == 0 ? $"https://{n.Prefix}.sharepoint.com/sites/finance/plan.xlsx" : null);
        }

        // The story: an external "payroll" account drops the same link in a chat with the phished user; ZAP removes it.
        var phish = DataGenerator.Guid(n.Domain + "teamsphish");
        Message(c, s.Start.AddMinutes(2), phish, "payroll", s.User, "Payroll update needed", "Phish", true, s.PhishUrl);
        c.Add("MessagePostDeliveryEvents", new()
        {
            ["Timestamp"] = s.Start.AddMinutes(40), ["TeamsMessageId"] = phish, ["Action"] = "Blocked", ["ActionType"] = "Phish ZAP", ["ActionTrigger"] = "SpecialAction",
            ["ActionResult"] = "Success", ["SenderEmailAddress"] = $"payroll@{n.AttackerDomain}", ["RecipientDetails"] = $"[{{\"RecipientSmtpAddress\":\"{c.Upn(s.User)}\"}}]",
            ["ThreatTypes"] = "Phish", ["ConfidenceLevel"] = "{\"Phish\":\"High\"}", ["DetectionMethods"] = "URL detonation reputation", ["LatestDeliveryLocation"] = "Quarantine",
            ["ReportId"] = phish + "-zap", ["IsExternalThread"] = true, ["SafetyTip"] = "External sender",
        });

        c.Add("FileMaliciousContentInfo", new()
        {
            ["Timestamp"] = s.Start.AddMinutes(25), ["Workload"] = "SharePoint", ["FileName"] = "Payroll-Update.docm", ["FolderPath"] = $"https://{n.Prefix}.sharepoint.com/sites/finance/Shared Documents",
            ["FileSize"] = 48213L, ["SHA256"] = DataGenerator.Hex(n.Domain + "docm", 32), ["FileOwnerDisplayName"] = HuntingRowContext.DisplayName(s.User), ["FileOwnerUpn"] = c.Upn(s.User),
            ["DocumentId"] = DataGenerator.Guid(n.Domain + "docm"), ["ThreatTypes"] = "[\"Malware\"]", ["ThreatNames"] = "TrojanDownloader:O97M/Donoff", ["DetectionMethods"] = "Safe Attachments",
            ["LastModifyingAccountUpn"] = c.Upn(s.User), ["LastModifiedTime"] = s.Start.AddMinutes(20), ["FileCreationTime"] = s.Start.AddMinutes(20), ["ReportId"] = DataGenerator.Guid(n.Domain + "docm-report"),
        });

        // Purview insider risk: the phished account copies payroll files to a USB stick after the compromise, and a
        // few ordinary label changes in the background.
        for (var j = 0; j < 8; j++)
        {
            var user = n.Users[(j % (n.Users.Count - 1)) + 1];
            DataEvent(c, c.Recent(), user, "SensitivityLabelDowngraded", $"Plan-{j}.docx", "Confidential", 1);
        }

        var usb = s.Start.AddMinutes(48);
        DataEvent(c, usb, s.User, "FileCopiedToRemovableMedia", "Payroll-2026.xlsx", "Highly Confidential", 4);
        c.Add("DataSecurityBehaviors", new()
        {
            ["Timestamp"] = usb.AddMinutes(5), ["BehaviorId"] = DataGenerator.Guid(n.Domain + "irm"), ["ActionType"] = "ExfiltrationToRemovableMedia", ["StartTime"] = usb, ["EndTime"] = usb.AddMinutes(2),
            ["AttackTechniques"] = "[\"T1052\"]", ["Categories"] = "[\"Exfiltration\"]", ["ActionCategory"] = "Exfiltration", ["Description"] = "Sensitive files copied to removable media",
            ["ServiceSource"] = "Microsoft Purview Insider Risk Management", ["DetectionSource"] = "Insider Risk Management", ["ActivityCount"] = 1, ["IsAnomalous"] = true,
            ["IsContentHidden"] = false, ["AccountUpn"] = c.Upn(s.User), ["AccountEmail"] = c.Upn(s.User), ["Application"] = "Endpoint",
            ["DeviceInfo"] = $"[{{\"DeviceId\":\"{s.Victim.Id}\",\"DeviceName\":\"{s.Victim.Name}\",\"EventCount\":1}}]", ["SensitivityLabelInfo"] = "[{\"Name\":\"Highly Confidential\",\"EventCount\":1}]",
            ["SensitiveInfoTypesInfo"] = "[{\"Name\":\"U.S. Social Security Number (SSN)\",\"EventCount\":1}]", ["UrlDomainInfo"] = "[]", ["SharepointSiteInfo"] = "[]",
            ["RecipientEmailInfo"] = "[]", ["RemovableMediaInfo"] = "[{\"SerialNumber\":\"4C530001230118103282\",\"Manufacturer\":\"SanDisk\",\"Model\":\"Ultra\"}]",
            ["PrinterName"] = "[]", ["PriorityContentMatchInfo"] = "[]",
        });

        // UEBA: the stolen session signs in from a new country, and the behavior names the user, the IP and the laptop.
        var behavior = DataGenerator.Guid(n.Domain + "behavior-travel");
        var travel = s.Start.AddMinutes(12);
        c.Add("BehaviorInfo", new()
        {
            ["Timestamp"] = travel.AddMinutes(3), ["BehaviorId"] = behavior, ["ActionType"] = "ImpossibleTravelActivity", ["Description"] = $"{c.Upn(s.User)} signed in from the Netherlands minutes after the United States",
            ["Categories"] = "[\"InitialAccess\"]", ["AttackTechniques"] = "[\"T1078\"]", ["ServiceSource"] = "Microsoft Defender for Cloud Apps", ["DetectionSource"] = "Cloud App Security",
            ["DataSources"] = "[\"Microsoft Entra ID\"]", ["DeviceId"] = s.Victim.Id, ["AccountUpn"] = c.Upn(s.User), ["AccountObjectId"] = c.ObjectId(s.User), ["StartTime"] = travel.AddMinutes(-30),
            ["EndTime"] = travel, ["AdditionalFields"] = "{}", ["Title"] = "Impossible travel activity",
        });
        foreach (var (type, role) in new[] { ("User", "Impacted"), ("Ip", "Related"), ("Machine", "Related") })
        {
            c.Add("BehaviorEntities", new()
            {
                ["Timestamp"] = travel.AddMinutes(3), ["BehaviorId"] = behavior, ["ActionType"] = "ImpossibleTravelActivity", ["Categories"] = "[\"InitialAccess\"]",
                ["ServiceSource"] = "Microsoft Defender for Cloud Apps", ["DetectionSource"] = "Cloud App Security", ["DataSources"] = "[\"Microsoft Entra ID\"]", ["EntityType"] = type,
                ["EntityRole"] = role, ["DetailedEntityRole"] = $"[\"{role}\"]", ["RemoteIP"] = type == "Ip" ? n.AttackerIp : string.Empty,
                ["AccountName"] = type == "User" ? s.User : string.Empty, ["AccountDomain"] = type == "User" ? n.Domain : string.Empty, ["AccountObjectId"] = type == "User" ? c.ObjectId(s.User) : string.Empty,
                ["AccountUpn"] = type == "User" ? c.Upn(s.User) : string.Empty, ["DeviceId"] = type == "Machine" ? s.Victim.Id : string.Empty, ["DeviceName"] = type == "Machine" ? s.Victim.Name : string.Empty,
                ["Application"] = "Microsoft 365", ["ApplicationId"] = 11161, ["AdditionalFields"] = "{}",
            });
        }

        // Attack disruption contains the phished user: their next SMB logon to the file server from the laptop is blocked.
        var dc = c.Devices[0];
        foreach (var (action, minutes, device) in new[] { ("ContainedUserLogonBlocked", 80, s.Server), ("ContainedUserSmbFileOpenBlocked", 81, s.Server), ("ContainedUserLogonBlockedByDomainController", 82, dc) })
        {
            c.Add("DisruptionAndResponseEvents", new()
            {
                ["Timestamp"] = s.Start.AddMinutes(minutes), ["ActionType"] = action, ["DeviceId"] = device.Id, ["SourceDeviceId"] = s.Victim.Id, ["TargetDeviceId"] = s.Server.Id,
                ["TargetDeviceName"] = s.Server.Name, ["TargetDomainName"] = n.Domain, ["DeviceName"] = device.Name, ["DomainName"] = n.Domain, ["InitiatingProcessId"] = 4,
                ["InitiatingProcessFileName"] = "System", ["SourceUserSid"] = DataGenerator.Sid(n, s.User), ["SourceUserName"] = s.User, ["SourceUserDomainName"] = n.NetBios,
                ["SourceIPAddress"] = s.Victim.Ip, ["SourcePort"] = 50311, ["IPAddress"] = s.Server.Ip, ["Port"] = "445", ["SourceDeviceName"] = s.Victim.Name, ["SourceDomainName"] = n.Domain,
                ["AuthenticationProtocol"] = "NTLM", ["Service"] = "cifs", ["FileName"] = action.Contains("File", StringComparison.Ordinal) ? "payroll.xlsx" : string.Empty,
                ["ShareName"] = action.Contains("File", StringComparison.Ordinal) ? "Finance" : string.Empty, ["LogonType"] = "Network", ["LogonId"] = 998877L, ["SessionId"] = null,
                ["CompromisedAccountCount"] = 1, ["PolicyId"] = DataGenerator.Guid(n.Domain + "containment"), ["PolicyName"] = "Contain user", ["PolicyVersion"] = "1",
                ["PolicyHash"] = DataGenerator.Hex(n.Domain + "containment", 16), ["DataSources"] = "[\"Microsoft Defender for Endpoint\"]", ["IsPolicyOn"] = true, ["ReportType"] = "Prevented",
            });
        }
    }

    private static void Message(HuntingRowContext c, DateTime when, string id, string sender, string recipient, string subject, string threat, bool external, string? url)
    {
        var n = c.Names;
        var senderAddress = external ? $"{sender}@{n.AttackerDomain}" : c.Upn(sender);
        c.Add("MessageEvents", new()
        {
            ["Timestamp"] = when, ["LastEditedTime"] = string.Empty, ["TeamsMessageId"] = id, ["SenderEmailAddress"] = senderAddress,
            ["SenderDisplayName"] = external ? "Payroll Department" : HuntingRowContext.DisplayName(sender), ["SenderObjectId"] = external ? string.Empty : c.ObjectId(sender),
            ["SenderType"] = external ? "Anonymous" : "User", ["RecipientDetails"] = $"[{{\"RecipientSmtpAddress\":\"{c.Upn(recipient)}\",\"RecipientType\":\"User\",\"RecipientObjectId\":\"{c.ObjectId(recipient)}\"}}]",
            ["IsOwnedThread"] = !external, ["MessageId"] = id, ["ParentMessageId"] = id, ["GroupId"] = string.Empty, ["GroupName"] = string.Empty,
            ["ThreadId"] = $"19:{DataGenerator.Hex(sender + recipient, 8)}@unq.gbl.spaces", ["ThreadSubtype"] = "None", ["IsExternalThread"] = external,
            ["MessageFormatType"] = "RichText", ["MessageFormatSubtype"] = "HTML", ["MessageVersion"] = "1", ["MessageSubject"] = subject, ["ThreatTypes"] = threat,
            ["DetectionMethods"] = threat.Length > 0 ? "[\"URL detonation reputation\"]" : "[]", ["ConfidenceLevel"] = threat.Length > 0 ? "{\"Phish\":\"High\"}" : "{}",
            ["DeliveryAction"] = "Delivered", ["DeliveryLocation"] = "Teams", ["ReportId"] = id + "-1", ["SafetyTip"] = external ? "External sender" : string.Empty,
        });
        if (url is not null)
        {
            c.Add("MessageUrlInfo", new() { ["Timestamp"] = when, ["TeamsMessageId"] = id, ["Url"] = url, ["UrlDomain"] = new Uri(url).Host, ["ThreatTypes"] = threat, ["ReportId"] = id + "-2" });
        }
    }

    private static void DataEvent(HuntingRowContext c, DateTime when, string user, string action, string file, string label, int mode)
    {
        var n = c.Names;
        var device = c.Workstations.FirstOrDefault(d => c.OwnerOf(d) == user) ?? c.Story.Victim;
        var usb = action.Contains("Removable", StringComparison.Ordinal);
        c.Add("DataSecurityEvents", new()
        {
            ["ApplicationNames"] = usb ? "explorer.exe" : "Microsoft Word", ["DeviceId"] = device.Id, ["DeviceName"] = device.Name, ["AadDeviceId"] = DataGenerator.Guid(device.Name + "aad"),
            ["IsManagedDevice"] = true, ["DlpPolicyMatchInfo"] = usb ? "[{\"PolicyName\":\"Payroll data\"}]" : "[]", ["DlpPolicyEnforcementMode"] = mode, ["DlpPolicyRuleMatchInfo"] = "[]",
            ["FileRenameInfo"] = string.Empty, ["PhysicalAccessPointId"] = string.Empty, ["PhysicalAccessPointName"] = string.Empty, ["PhysicalAccessStatus"] = string.Empty,
            ["PhysicalAssetTag"] = string.Empty, ["RemovableMediaManufacturer"] = usb ? "SanDisk" : string.Empty, ["RemovableMediaModel"] = usb ? "Ultra" : string.Empty,
            ["RemovableMediaSerialNumber"] = usb ? "4C530001230118103282" : string.Empty, ["TeamsChannelName"] = string.Empty, ["TeamsChannelType"] = string.Empty, ["TeamsTeamName"] = string.Empty,
            ["UserAlternateEmails"] = string.Empty, ["AccountUpn"] = c.Upn(user), ["AccountObjectId"] = c.ObjectId(user), ["Department"] = "Finance", ["SourceCodeInfo"] = string.Empty,
            ["CcPolicyMatchInfo"] = "[]", ["IPAddress"] = device.Ip, ["Timestamp"] = when, ["DeviceSourceLocationType"] = 1, ["DeviceDestinationLocationType"] = usb ? 3 : 1,
            ["IrmPolicyMatchInfo"] = usb ? "[{\"PolicyName\":\"Data theft by departing users\"}]" : "[]", ["UnallowedUrlDomains"] = string.Empty, ["ExternalUrlDomains"] = string.Empty,
            ["UrlDomainInfo"] = string.Empty, ["SourceUrlDomain"] = string.Empty, ["TargetUrlDomain"] = string.Empty, ["EmailAttachmentCount"] = 0, ["EmailAttachmentInfo"] = "[]",
            ["InternetMessageId"] = string.Empty, ["NetworkMessageId"] = string.Empty, ["EmailSubject"] = string.Empty, ["ObjectId"] = $@"C:\Users\{user}\Documents\{file}",
            ["ObjectName"] = file, ["ObjectType"] = "File", ["ObjectSize"] = 184_320, ["IsHidden"] = false, ["ActivityId"] = DataGenerator.Guid($"{user}{when.Ticks}activity"),
            ["ActionType"] = action, ["SensitiveInfoTypeInfo"] = usb ? "[{\"Name\":\"U.S. Social Security Number (SSN)\",\"Count\":212}]" : "[]",
            ["SensitivityLabelId"] = DataGenerator.Guid(n.Domain + label), ["SharepointSiteSensitivityLabelIds"] = string.Empty,
            ["PreviousSensitivityLabelId"] = usb ? string.Empty : DataGenerator.Guid(n.Domain + "Highly Confidential"), ["Operation"] = action, ["RecipientEmailAddress"] = string.Empty,
            ["SiteUrl"] = string.Empty, ["SourceRelativeUrl"] = string.Empty, ["TargetFilePath"] = usb ? $@"E:\{file}" : string.Empty, ["PrinterName"] = string.Empty,
            ["Workload"] = "Endpoint", ["IrmActionCategory"] = usb ? "Exfiltration" : "Obfuscation", ["SequenceCorrelationId"] = string.Empty, ["CloudAppAlertId"] = string.Empty,
        });
    }
}
