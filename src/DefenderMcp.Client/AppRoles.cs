namespace DefenderMcp.Client;

/// <summary>
/// The one table of the application roles (app permissions) each Defender operation needs, as the operation pages
/// document them (defender-api.md §3.11). Requests name these roles in <c>permission_denied</c>; status, doctor and the
/// docs' role table read the same rows, so they cannot drift apart.
/// </summary>
public static class AppRoles
{
#pragma warning disable CS1591 // Each constant is the role it names.
    public const string ThreatHunting = "ThreatHunting.Read.All";
    public const string IncidentRead = "SecurityIncident.Read.All";
    public const string IncidentWrite = "SecurityIncident.ReadWrite.All";
    public const string AlertRead = "SecurityAlert.Read.All";
    public const string AlertWrite = "SecurityAlert.ReadWrite.All";
    public const string DetectionRead = "CustomDetection.Read.All";
    public const string DetectionWrite = "CustomDetection.ReadWrite.All";
    public const string MachineRead = "Machine.Read.All";
    public const string MachineWrite = "Machine.ReadWrite.All";
    public const string Isolate = "Machine.Isolate";
    public const string RestrictExecution = "Machine.RestrictExecution";
    public const string Scan = "Machine.Scan";
    public const string CollectForensics = "Machine.CollectForensics";
    public const string StopAndQuarantine = "Machine.StopAndQuarantine";
    public const string Offboard = "Machine.Offboard";
    public const string LiveResponse = "Machine.LiveResponse";
    public const string Library = "Library.Manage";
    public const string IndicatorsAll = "Ti.ReadWrite.All";
    public const string IndicatorsOwn = "Ti.ReadWrite";
    public const string FileRead = "File.Read.All";
    public const string IpRead = "Ip.Read.All";
    public const string UrlRead = "URL.Read.All";
    public const string UserRead = "User.Read.All";
    public const string MdeAlertRead = "Alert.Read.All";
    public const string MdeAlertWrite = "Alert.ReadWrite.All";
    public const string GraphUserRead = "User.Read.All";
    public const string GroupMemberRead = "GroupMember.Read.All";
    public const string RevokeSessions = "User.RevokeSessions.All";
    public const string EnableDisableAccount = "User.EnableDisableAccount.All";
    public const string RiskyUserWrite = "IdentityRiskyUser.ReadWrite.All";
    public const string VulnerabilityRead = "Vulnerability.Read.All";
    public const string SoftwareRead = "Software.Read.All";
    public const string RecommendationRead = "SecurityRecommendation.Read.All";
    public const string ScoreRead = "Score.Read.All";
    public const string SecureScoreRead = "SecurityEvents.Read.All";
#pragma warning restore CS1591

    /// <summary>
    /// Every operation the client performs, with the roles any one of which the service accepts, and the server
    /// toolsets whose tools perform it.
    /// </summary>
    public static IReadOnlyList<OperationRoles> Table { get; } =
    [
        new("Advanced hunting", DefenderApi.Graph, RoleUse.Read, [ThreatHunting], ["hunting", "saved_hunts"]),
        new("List and get incidents", DefenderApi.Graph, RoleUse.Read, [IncidentRead, IncidentWrite], ["incidents"]),
        new("List and get alerts", DefenderApi.Graph, RoleUse.Read, [AlertRead, AlertWrite], ["alerts"]),
        new("List and get custom detection rules", DefenderApi.Graph, RoleUse.Read, [DetectionRead, DetectionWrite], ["detection_rules"]),
        new("List and get devices and machine actions; investigation package and live response result links", DefenderApi.Mde, RoleUse.Read, [MachineRead, MachineWrite], ["devices", "machine_actions", "live_response", "entities", "vulnerabilities"]),
        new("List indicators (there is no read-only indicator role)", DefenderApi.Mde, RoleUse.Read, [IndicatorsAll, IndicatorsOwn], ["indicators"]),
        new("File information and statistics", DefenderApi.Mde, RoleUse.Read, [FileRead], ["entities"]),
        new("IP statistics", DefenderApi.Mde, RoleUse.Read, [IpRead], ["entities"]),
        new("Domain statistics", DefenderApi.Mde, RoleUse.Read, [UrlRead], ["entities"]),
        new("Users logged on to a device", DefenderApi.Mde, RoleUse.Read, [UserRead], ["entities"]),
        new("Alerts related to a file, an IP, a user or a device", DefenderApi.Mde, RoleUse.Read, [MdeAlertRead, MdeAlertWrite], ["entities", "devices"]),
        new("Alerts related to a domain (the page lists no read role)", DefenderApi.Mde, RoleUse.Read, [MdeAlertWrite], ["entities"]),
        new("Devices a user logged on to (the page lists no read role)", DefenderApi.Mde, RoleUse.Read, [MachineWrite], ["entities"]),
        new("Vulnerabilities and the devices they expose", DefenderApi.Mde, RoleUse.Read, [VulnerabilityRead], ["vulnerabilities"]),
        new("Software inventory and missing KBs", DefenderApi.Mde, RoleUse.Read, [SoftwareRead], ["vulnerabilities"]),
        new("Software end of support (DeviceTvmSoftwareInventory by advanced hunting; without it list_software leaves end_of_support out)", DefenderApi.Graph, RoleUse.Read, [ThreatHunting], ["vulnerabilities"]),
        new("Security recommendations", DefenderApi.Mde, RoleUse.Read, [RecommendationRead], ["vulnerabilities"]),
        new("Exposure and device configuration scores", DefenderApi.Mde, RoleUse.Read, [ScoreRead], ["vulnerabilities"]),
        new("Microsoft Secure Score", DefenderApi.Graph, RoleUse.Read, [SecureScoreRead, "SecurityEvents.ReadWrite.All"], ["vulnerabilities"]),
        new("Update incidents and comment on them", DefenderApi.Graph, RoleUse.Write, [IncidentWrite], ["incidents"]),
        new("Update alerts", DefenderApi.Graph, RoleUse.Write, [AlertWrite], ["alerts"]),
        new("Create, update and delete custom detection rules", DefenderApi.Graph, RoleUse.Write, [DetectionWrite], ["detection_rules"]),
        new("Isolate and release devices", DefenderApi.Mde, RoleUse.Write, [Isolate], ["machine_actions"]),
        new("Restrict app execution and remove the restriction", DefenderApi.Mde, RoleUse.Write, [RestrictExecution], ["machine_actions"]),
        new("Antivirus scan", DefenderApi.Mde, RoleUse.Write, [Scan], ["machine_actions"]),
        new("Collect an investigation package", DefenderApi.Mde, RoleUse.Write, [CollectForensics], ["machine_actions"]),
        new("Stop and quarantine a file (the page also accepts the machine roles)", DefenderApi.Mde, RoleUse.Write, [StopAndQuarantine, MachineRead, MachineWrite], ["machine_actions"]),
        new("Cancel a machine action (any one action role)", DefenderApi.Mde, RoleUse.Write, [Isolate, RestrictExecution, Scan, CollectForensics, StopAndQuarantine, Offboard, LiveResponse], ["machine_actions"]),
        new("Submit, import and delete indicators (Ti.ReadWrite: only the app's own)", DefenderApi.Mde, RoleUse.Write, [IndicatorsAll, IndicatorsOwn], ["indicators"]),
        new("Look up a user (identity response)", DefenderApi.Graph, RoleUse.Write, [GraphUserRead, "User.ReadWrite.All", "Directory.Read.All"], ["identity"]),
        new("Check a user's group membership (protected_users)", DefenderApi.Graph, RoleUse.Write, [GroupMemberRead, "Group.Read.All", "Directory.Read.All"], ["identity"]),
        new("Revoke a user's sign-in sessions", DefenderApi.Graph, RoleUse.Write, [RevokeSessions, "User.ReadWrite.All", "Directory.ReadWrite.All"], ["identity"]),
        new("Disable or enable a user account", DefenderApi.Graph, RoleUse.Write, [EnableDisableAccount, "User.ReadWrite.All", "Directory.ReadWrite.All"], ["identity"]),
        new("Confirm a user compromised or dismiss the user's risk", DefenderApi.Graph, RoleUse.Write, [RiskyUserWrite], ["identity"]),
        new("Offboard a device", DefenderApi.Mde, RoleUse.Offboard, [Offboard], ["machine_actions"]),
        new("Run live response", DefenderApi.Mde, RoleUse.LiveResponse, [LiveResponse], ["live_response"]),
        new("List, upload and delete live response library files", DefenderApi.Mde, RoleUse.LiveResponse, [Library], ["live_response"]),
    ];

    /// <summary>The requirements of <paramref name="use"/>, one per distinct set of accepted roles.</summary>
    /// <remarks>
    /// Keyed by a string rather than an (api, roles) tuple: the client's role lists are built on every server start,
    /// and a generic instantiation over a value tuple is not in any ReadyToRun image, so it was compiled at start.
    /// </remarks>
    public static IReadOnlyList<RoleRequirement> For(RoleUse use) =>
        [.. Table.Where(r => r.Use == use).Select(r => new RoleRequirement(r.Api, r.AnyOf)).DistinctBy(r => r.Api.ToString() + " " + string.Join(' ', r.AnyOf))];
}
