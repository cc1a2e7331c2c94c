using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Data;

/// <summary>The columns the emulator generates for each hunting table (documented names and types, defender-api.md §4).</summary>
public static class HuntingColumns
{
    private static HuntingColumnSchema[] Cols(string spec) =>
        [.. spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => c.Split(':')).Select(p => new HuntingColumnSchema(p[0], p.Length > 1 ? p[1] : "string"))];

    private const string DeviceKey = "Timestamp:datetime,DeviceId,DeviceName,ActionType";
    private const string Initiating = "InitiatingProcessAccountDomain,InitiatingProcessAccountName,InitiatingProcessFileName,InitiatingProcessSHA1,InitiatingProcessId:long,InitiatingProcessCommandLine,InitiatingProcessFolderPath,InitiatingProcessParentFileName";

    /// <summary>Columns by table.</summary>
    public static IReadOnlyDictionary<string, HuntingColumnSchema[]> ByTable { get; } = new Dictionary<string, HuntingColumnSchema[]>(StringComparer.Ordinal)
    {
        ["DeviceProcessEvents"] = Cols($"{DeviceKey},FileName,FolderPath,SHA1,SHA256,MD5,FileSize:long,ProcessId:long,ProcessCommandLine,ProcessIntegrityLevel,ProcessCreationTime:datetime,AccountDomain,AccountName,AccountSid,AccountUpn,LogonId:long,{Initiating},ReportId:long"),
        ["DeviceNetworkEvents"] = Cols($"{DeviceKey},RemoteIP,RemotePort:int,RemoteUrl,LocalIP,LocalPort:int,Protocol,LocalIPType,RemoteIPType,{Initiating},ReportId:long"),
        ["DeviceLogonEvents"] = Cols($"{DeviceKey},LogonType,AccountDomain,AccountName,AccountSid,Protocol,FailureReason,IsLocalAdmin:bool,LogonId:long,RemoteDeviceName,RemoteIP,RemoteIPType,RemotePort:int,{Initiating},ReportId:long"),
        ["DeviceFileEvents"] = Cols($"{DeviceKey},FileName,FolderPath,SHA1,SHA256,MD5,FileOriginUrl,FileOriginIP,FileSize:long,{Initiating},RequestProtocol,RequestSourceIP,RequestAccountName,ShareName,ReportId:long"),
        ["DeviceRegistryEvents"] = Cols($"{DeviceKey},RegistryKey,RegistryValueType,RegistryValueName,RegistryValueData,{Initiating},ReportId:long"),
        ["DeviceImageLoadEvents"] = Cols($"{DeviceKey},FileName,FolderPath,SHA1,SHA256,MD5,FileSize:long,{Initiating},ReportId:long"),
        ["DeviceEvents"] = Cols($"{DeviceKey},FileName,FolderPath,SHA1,AccountDomain,AccountName,RemoteUrl,ProcessCommandLine,RemoteIP,RemotePort:int,AdditionalFields,{Initiating},ReportId:long"),
        ["DeviceInfo"] = Cols("Timestamp:datetime,DeviceId,DeviceName,ClientVersion,PublicIP,OSArchitecture,OSPlatform,OSBuild:long,IsAzureADJoined:bool,JoinType,AadDeviceId,LoggedOnUsers,MachineGroup,OSVersion,OnboardingStatus,DeviceCategory,DeviceType,ExposureLevel,AssetValue,DeviceManualTags,SensorHealthState,IsInternetFacing:bool,ReportId:long"),
        ["AlertInfo"] = Cols("Timestamp:datetime,AlertId,Title,Category,Severity,ServiceSource,DetectionSource,AttackTechniques"),
        ["AlertEvidence"] = Cols("Timestamp:datetime,AlertId,Title,Categories,AttackTechniques,ServiceSource,DetectionSource,EntityType,EvidenceRole,EvidenceDirection,FileName,FolderPath,SHA1,SHA256,RemoteIP,RemoteUrl,AccountName,AccountDomain,AccountSid,AccountUpn,DeviceId,DeviceName,ProcessCommandLine,Severity"),
        ["EmailEvents"] = Cols("Timestamp:datetime,NetworkMessageId,InternetMessageId,SenderMailFromAddress,SenderFromAddress,SenderDisplayName,SenderFromDomain,SenderIPv4,RecipientEmailAddress,Subject,EmailDirection,DeliveryAction,DeliveryLocation,ThreatTypes,DetectionMethods,ConfidenceLevel,AttachmentCount:int,UrlCount:int,ReportId"),
        ["EmailUrlInfo"] = Cols("Timestamp:datetime,NetworkMessageId,Url,UrlDomain,UrlLocation,ReportId"),
        ["UrlClickEvents"] = Cols("Timestamp:datetime,Url,ActionType,AccountUpn,Workload,NetworkMessageId,ThreatTypes,DetectionMethods,IPAddress,IsClickedThrough:bool,UrlChain,ReportId"),
        ["IdentityLogonEvents"] = Cols("Timestamp:datetime,ActionType,Application,LogonType,Protocol,FailureReason,AccountName,AccountDomain,AccountUpn,AccountSid,AccountDisplayName,DeviceName,DeviceType,OSPlatform,IPAddress,Port:int,DestinationDeviceName,DestinationIPAddress,DestinationPort:int,Location,ISP,ReportId"),
    };
}
