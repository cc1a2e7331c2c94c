namespace DefenderMcp.Kql.Schema;

/// <summary>
/// The advanced hunting schema (defender-api.md §4): every Device*, Alert*, Email*, Identity*, CloudAppEvents and
/// UrlClickEvents table with its documented columns and KQL types. Used by the guard's warnings, the
/// <c>get_hunting_schema</c> tool and the emulator's tables.
/// </summary>
public static class HuntingSchemaCatalog
{
    private const string DeviceKey = "Timestamp:datetime,DeviceId,DeviceName,ActionType";
    private const string FileBlock = "FileName,FolderPath,SHA1,SHA256,MD5,FileSize:long";
    private const string IpBlockCore =
        "InitiatingProcessAccountDomain,InitiatingProcessAccountName,InitiatingProcessAccountSid,InitiatingProcessAccountUpn,InitiatingProcessAccountObjectId";
    private const string IpBlockLevels = "InitiatingProcessIntegrityLevel,InitiatingProcessTokenElevation";
    private const string IpBlockRest =
        "InitiatingProcessSHA1,InitiatingProcessSHA256,InitiatingProcessMD5,InitiatingProcessFileName,InitiatingProcessFileSize:long," +
        "InitiatingProcessVersionInfoCompanyName,InitiatingProcessVersionInfoProductName,InitiatingProcessVersionInfoProductVersion," +
        "InitiatingProcessVersionInfoInternalFileName,InitiatingProcessVersionInfoOriginalFileName,InitiatingProcessVersionInfoFileDescription," +
        "InitiatingProcessId:long,InitiatingProcessCommandLine,InitiatingProcessCreationTime:datetime,InitiatingProcessFolderPath," +
        "InitiatingProcessParentId:long,InitiatingProcessParentFileName,InitiatingProcessParentCreationTime:datetime";
    private const string IpBlock = IpBlockCore + "," + IpBlockLevels + "," + IpBlockRest;
    private const string RsBlock = "InitiatingProcessSessionId:long,IsInitiatingProcessRemoteSession:bool,InitiatingProcessRemoteSessionDeviceName,InitiatingProcessRemoteSessionIP";
    private const string Identity = "ReportId:long,AppGuardContainerId";

    private const int MaxProbe = 128;

    private static readonly Lazy<IReadOnlyList<HuntingTableSchema>> AllTables = new(Build);

    /// <summary>Every table, in name order.</summary>
    public static IReadOnlyList<HuntingTableSchema> Tables => AllTables.Value;

    /// <summary>A table by exact name (KQL names are case-sensitive), or null.</summary>
    public static HuntingTableSchema? Find(string name) => Tables.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>A table by name ignoring case, or null.</summary>
    public static HuntingTableSchema? FindIgnoreCase(string name) => Tables.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The closest table names to <paramref name="name"/>, nearest first.</summary>
    public static IReadOnlyList<string> SuggestTables(string name, int count = 3) =>
        Closest(name, Tables.Select(t => t.Name), count);

    /// <summary>The closest column names of <paramref name="table"/> to <paramref name="name"/>.</summary>
    public static IReadOnlyList<string> SuggestColumns(HuntingTableSchema table, string name, int count = 3) =>
        Closest(name, table.Columns.Select(c => c.Name), count);

    /// <summary>
    /// The Graph runHuntingQuery <c>schema[].type</c> name for a KQL type: datetime→DateTime, string→String, long→Int64,
    /// int→Int32, bool→Boolean, real→Double, timespan→TimeSpan, dynamic (and anything else)→Object.
    /// </summary>
    public static string ApiTypeName(string kqlType) => kqlType switch
    {
        "datetime" => "DateTime",
        "string" => "String",
        "long" => "Int64",
        "int" => "Int32",
        "bool" or "boolean" => "Boolean",
        "real" => "Double",
        "timespan" => "TimeSpan",
        _ => "Object",
    };

    private static IReadOnlyList<string> Closest(string name, IEnumerable<string> candidates, int count)
    {
        // Names come from untrusted queries: compare a bounded prefix so the distance stays cheap.
        var probe = (name.Length > MaxProbe ? name[..MaxProbe] : name).ToLowerInvariant();
        return [.. candidates
            .Select(c => (Name: c, Distance: Score(probe, c.ToLowerInvariant())))
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(Math.Max(count, 0))
            .Select(x => x.Name)];
    }

    private static double Score(string probe, string candidate)
    {
        // Edit distance, except that a typed prefix of a name ("IdentityLogon") costs little per missing character.
        double distance = Distance(probe, candidate);
        return probe.Length > 0 && candidate.StartsWith(probe, StringComparison.Ordinal)
            ? Math.Min(distance, 1 + ((candidate.Length - probe.Length) / 4.0))
            : distance;
    }

    private static int Distance(string a, string b)
    {
        // Levenshtein distance with two rows; names are short.
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static HuntingTableSchema Table(string name, string purpose, params string[] blocks)
    {
        var columns = new List<HuntingColumnSchema>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in string.Join(',', blocks).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = spec.Split(':');
            // A repeated name means two blocks overlap: a catalog bug, caught by the tests at first use.
            if (!seen.Add(parts[0]))
            {
                throw new InvalidOperationException($"Duplicate column {parts[0]} in {name}.");
            }

            var type = parts.Length > 1 ? parts[1] : "string";
            if (type is not ("datetime" or "string" or "long" or "int" or "bool" or "real" or "dynamic"))
            {
                throw new InvalidOperationException($"Unknown type {type} for {name}.{parts[0]}.");
            }

            columns.Add(new HuntingColumnSchema(parts[0], type));
        }

        return new HuntingTableSchema(name, purpose, columns);
    }

    private static IReadOnlyList<HuntingTableSchema> Build() =>
    [.. new[]
    {
        Table("DeviceProcessEvents", "Process creation and related events on devices.",
            DeviceKey, FileBlock,
            "ProcessVersionInfoCompanyName,ProcessVersionInfoProductName,ProcessVersionInfoProductVersion,ProcessVersionInfoInternalFileName,ProcessVersionInfoOriginalFileName,ProcessVersionInfoFileDescription",
            "ProcessId:long,ProcessCommandLine,ProcessIntegrityLevel,ProcessTokenElevation,ProcessCreationTime:datetime,AccountDomain,AccountName,AccountSid,AccountUpn,AccountObjectId,LogonId:long",
            IpBlock, "InitiatingProcessLogonId:long,InitiatingProcessSignerType,InitiatingProcessSignatureStatus", Identity, "AdditionalFields", RsBlock,
            "CreatedProcessSessionId:long,IsProcessRemoteSession:bool,ProcessRemoteSessionDeviceName,ProcessRemoteSessionIP"),
        Table("DeviceNetworkEvents", "Network connections and related events on devices.",
            DeviceKey, "RemoteIP,RemotePort:int,RemoteUrl,LocalIP,LocalPort:int,Protocol,LocalIPType,RemoteIPType", IpBlock, Identity, "AdditionalFields", RsBlock),
        Table("DeviceFileEvents", "File creation, modification and other file system events on devices.",
            DeviceKey, "FileName,FolderPath,SHA1,SHA256,MD5,FileOriginUrl,FileOriginReferrerUrl,FileOriginIP,PreviousFolderPath,PreviousFileName,FileSize:long",
            IpBlock, "RequestProtocol,RequestSourceIP,RequestSourcePort:int,RequestAccountName,RequestAccountDomain,RequestAccountSid,ShareName,SensitivityLabel,SensitivitySubLabel,IsAzureInfoProtectionApplied:bool",
            Identity, "AdditionalFields", RsBlock),
        Table("DeviceRegistryEvents", "Creation and modification of registry entries on devices.",
            DeviceKey, "RegistryKey,RegistryValueType,RegistryValueName,RegistryValueData,PreviousRegistryKey,PreviousRegistryValueName,PreviousRegistryValueData", IpBlock, Identity, RsBlock),
        Table("DeviceLogonEvents", "Sign-ins and other authentication events on devices.",
            DeviceKey, "LogonType,AccountDomain,AccountName,AccountSid,Protocol,FailureReason,IsLocalAdmin:bool,LogonId:long,RemoteDeviceName,RemoteIP,RemoteIPType,RemotePort:int",
            IpBlock, Identity, "AdditionalFields", RsBlock),
        Table("DeviceImageLoadEvents", "DLL loading events on devices.", DeviceKey, FileBlock, IpBlock, Identity),
        Table("DeviceEvents", "Miscellaneous device events: antivirus, exploit protection, SmartScreen and other security controls.",
            DeviceKey, FileBlock, "AccountDomain,AccountName,AccountSid,RemoteUrl,RemoteDeviceName,ProcessId:long,ProcessCommandLine,ProcessCreationTime:datetime,ProcessTokenElevation,LogonId:long",
            "RegistryKey,RegistryValueName,RegistryValueData,RemoteIP,RemotePort:int,LocalIP,LocalPort:int,FileOriginUrl,FileOriginIP",
            IpBlockCore, IpBlockRest, "InitiatingProcessLogonId:long", Identity, "AdditionalFields", RsBlock,
            "CreatedProcessSessionId:long,IsProcessRemoteSession:bool,ProcessRemoteSessionDeviceName,ProcessRemoteSessionIP"),
        Table("DeviceInfo", "Device information: OS, onboarding, exposure and tags, reported periodically.",
            "Timestamp:datetime,DeviceId,DeviceName,ClientVersion,PublicIP,OSArchitecture,OSPlatform,OSBuild:long,IsAzureADJoined:bool,JoinType,AadDeviceId,LoggedOnUsers,RegistryDeviceTag,OSVersion,MachineGroup,ReportId:long,OnboardingStatus,AdditionalFields",
            "DeviceCategory,DeviceType,DeviceSubtype,Model,Vendor,OSDistribution,OSVersionInfo,MergedDeviceIds,MergedToDeviceId,IsInternetFacing:bool,SensorHealthState,IsExcluded:bool,ExclusionReason,ExposureLevel,AssetValue,DeviceManualTags,DeviceDynamicTags,ConnectivityType,HostDeviceId"),
        Table("DeviceNetworkInfo", "Network adapter configuration of devices: addresses, gateways, DNS.",
            "Timestamp:datetime,DeviceId,DeviceName,NetworkAdapterName,MacAddress,NetworkAdapterType,NetworkAdapterStatus,TunnelType,ConnectedNetworks,DnsAddresses,IPv4Dhcp,IPv6Dhcp,DefaultGateways,IPAddresses,ReportId:long,NetworkAdapterVendor"),
        Table("DeviceFileCertificateInfo", "Certificate information of signed files seen on devices.",
            "Timestamp:datetime,DeviceId,DeviceName,SHA1,IsSigned:bool,SignatureType,Signer,SignerHash,Issuer,IssuerHash,CertificateSerialNumber,CrlDistributionPointUrls,CertificateCreationTime:datetime,CertificateExpirationTime:datetime,CertificateCountersignatureTime:datetime,IsTrusted:bool,IsRootSignerMicrosoft:bool,ReportId:long"),
        Table("AlertInfo", "Alerts from Defender for Endpoint, Office 365, Cloud Apps and Identity, with severity and category.",
            "Timestamp:datetime,AlertId,Title,Category,Severity,ServiceSource,DetectionSource,AttackTechniques"),
        Table("AlertEvidence", "Entities (files, processes, devices, users, IPs, URLs, mail) linked to alerts.",
            "Timestamp:datetime,AlertId,Title,Categories,AttackTechniques,ServiceSource,DetectionSource,EntityType,EvidenceRole,EvidenceDirection,FileName,FolderPath,SHA1,SHA256,FileSize:long,ThreatFamily,RemoteIP,RemoteUrl",
            "AccountName,AccountDomain,AccountSid,AccountObjectId,AccountUpn,DeviceId,DeviceName,LocalIP,NetworkMessageId,EmailSubject,Application,ApplicationId:int,OAuthApplicationId,ProcessCommandLine,RegistryKey,RegistryValueName,RegistryValueData,AdditionalFields,Severity,CloudResource,CloudPlatform,ResourceType,ResourceID,SubscriptionId"),
        Table("EmailEvents", "Email delivery and blocking events in Microsoft Defender for Office 365.",
            "Timestamp:datetime,NetworkMessageId,InternetMessageId,SenderMailFromAddress,SenderFromAddress,SenderDisplayName,SenderObjectId,SenderMailFromDomain,SenderFromDomain,SenderIPv4,SenderIPv6,RecipientEmailAddress,RecipientObjectId,Subject,EmailClusterId:long,EmailDirection,DeliveryAction,DeliveryLocation",
            "ThreatTypes,ThreatNames,DetectionMethods,ConfidenceLevel,BulkComplaintLevel:int,EmailAction,EmailActionPolicy,EmailActionPolicyGuid,AuthenticationDetails,AttachmentCount:int,UrlCount:int,EmailLanguage,Connectors,OrgLevelAction,OrgLevelPolicy,UserLevelAction,UserLevelPolicy,ReportId,AdditionalFields,LatestDeliveryLocation,LatestDeliveryAction"),
        Table("EmailAttachmentInfo", "Files attached to emails.",
            "Timestamp:datetime,NetworkMessageId,SenderFromAddress,SenderDisplayName,SenderObjectId,RecipientEmailAddress,RecipientObjectId,FileName,FileType,SHA256,FileSize:long,ThreatTypes,ThreatNames,DetectionMethods,ReportId"),
        Table("EmailUrlInfo", "URLs found in emails.", "Timestamp:datetime,NetworkMessageId,Url,UrlDomain,UrlLocation,ReportId"),
        Table("EmailPostDeliveryEvents", "Actions taken on emails after delivery (ZAP, manual remediation).",
            "Timestamp:datetime,NetworkMessageId,InternetMessageId,Action,ActionType,ActionTrigger,ActionResult,RecipientEmailAddress,DeliveryLocation,ThreatTypes,DetectionMethods,ReportId"),
        Table("UrlClickEvents", "Safe Links clicks on URLs in email, Teams and Office apps.",
            "Timestamp:datetime,Url,ActionType,AccountUpn,Workload,NetworkMessageId,ThreatTypes,DetectionMethods,IPAddress,IsClickedThrough:bool,UrlChain,ReportId"),
        Table("IdentityLogonEvents", "Authentication events against Active Directory and Microsoft online services.",
            "Timestamp:datetime,ActionType,Application,LogonType,Protocol,FailureReason,AccountName,AccountDomain,AccountUpn,AccountSid,AccountObjectId,AccountDisplayName,DeviceName,DeviceType,OSPlatform,IPAddress,Port:int,DestinationDeviceName,DestinationIPAddress,DestinationPort:int,TargetDeviceName,TargetAccountDisplayName,Location,Isp,ReportId,AdditionalFields:dynamic"),
        Table("IdentityDirectoryEvents", "Directory events: group changes, password resets, replication and other AD activity.",
            "Timestamp:datetime,ActionType,Application,TargetAccountUpn,TargetAccountDisplayName,TargetDeviceName,DestinationDeviceName,DestinationIPAddress,DestinationPort:int,Protocol,AccountName,AccountDomain,AccountUpn,AccountSid,AccountObjectId,AccountDisplayName,DeviceName,IPAddress,Port:int,Location,ISP,ReportId,AdditionalFields:dynamic"),
        Table("IdentityInfo", "Account information from Microsoft Entra ID and Active Directory.",
            "Timestamp:datetime,ReportId,AccountObjectId,AccountUpn,OnPremSid,AccountDisplayName,AccountName,AccountDomain,CriticalityLevel:int,Type,DistinguishedName,CloudSid,GivenName,Surname,Department,JobTitle,EmailAddress,SipProxyAddress,Address,City,Country,IsAccountEnabled:bool,Manager,Phone,CreatedDateTime:datetime,ChangeSource",
            "RiskLevel,RiskLevelDetails,Tags:dynamic,AssignedRoles:dynamic,PrivilegedEntraPimRoles:dynamic,TenantId,SourceSystem,OnPremObjectId,TenantMembershipType,RiskStatus,UserAccountControl,IdentityEnvironment,SourceProviders:dynamic",
            // UEBA-only columns (filled when Sentinel UEBA is on); the doc gives no types: dates and lists typed by their content.
            "BlastRadius,CompanyName,DeletedDateTime:datetime,EmployeeId,OtherMailAddresses:dynamic,State,GroupMembership:dynamic"),
        Table("CloudAppEvents", "Activity in cloud apps and services covered by Defender for Cloud Apps.",
            "Timestamp:datetime,ActionType,Application,ApplicationId:int,AppInstanceId:int,AccountObjectId,AccountId,AccountDisplayName,IsAdminOperation:bool,DeviceType,OSPlatform,IPAddress,IsAnonymousProxy:bool,CountryCode,City,Isp,UserAgent,ActivityType,ActivityObjects:dynamic,ObjectName,ObjectType,ObjectId,ReportId,AccountType",
            "IsExternalUser:bool,IsImpersonated:bool,IPTags:dynamic,IPCategory,UserAgentTags:dynamic,RawEventData:dynamic,AdditionalFields:dynamic,LastSeenForUser:dynamic,UncommonForUser:dynamic,AuditSource,SessionData:dynamic,OAuthAppId"),
    }.OrderBy(t => t.Name, StringComparer.Ordinal)];
}
