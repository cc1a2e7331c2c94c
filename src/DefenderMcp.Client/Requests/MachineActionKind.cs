namespace DefenderMcp.Client;

/// <summary>
/// One Defender for Endpoint response action on a machine (defender-api §3.5): its path, the type Defender records,
/// the app role it needs and its extra body field. The one table of these facts; the server only adds tool text.
/// </summary>
public sealed class MachineActionKind
{
    /// <summary>
    /// Longest comment sent with a machine action or a cancel. The API documents no limit; the tools have always
    /// advertised 1,000, and the client now enforces that same bound rather than a looser 4,000.
    /// </summary>
    public const int MaxCommentLength = 1000;

    private MachineActionKind(string path, string type, string role, MachineActionChoice? choice = null, bool needsSha1 = false)
    {
        Path = path;
        Type = type;
        Role = role;
        Choice = choice;
        NeedsSha1 = needsSha1;
    }

    /// <summary>Isolates a machine: <c>IsolationType</c> Full, Selective or UnManagedDevice (contains an unmanaged device).</summary>
    public static MachineActionKind Isolate { get; } = new("isolate", "Isolate", AppRoles.Isolate, new("IsolationType", ["Full", "Selective", "UnManagedDevice"], "Full"));

    /// <summary>Releases a machine from isolation or containment.</summary>
    public static MachineActionKind Release { get; } = new("unisolate", "Unisolate", AppRoles.Isolate);

    /// <summary>Restricts app execution to Microsoft-signed code.</summary>
    public static MachineActionKind RestrictAppExecution { get; } = new("restrictCodeExecution", "RestrictCodeExecution", AppRoles.RestrictExecution);

    /// <summary>Removes the app execution restriction.</summary>
    public static MachineActionKind RemoveAppRestriction { get; } = new("unrestrictCodeExecution", "UnrestrictCodeExecution", AppRoles.RestrictExecution);

    /// <summary>Starts an antivirus scan: <c>ScanType</c> Quick or Full.</summary>
    public static MachineActionKind RunAntivirusScan { get; } = new("runAntiVirusScan", "RunAntiVirusScan", AppRoles.Scan, new("ScanType", ["Quick", "Full"], "Quick"));

    /// <summary>Collects an investigation package.</summary>
    public static MachineActionKind CollectInvestigationPackage { get; } = new("collectInvestigationPackage", "CollectInvestigationPackage", AppRoles.CollectForensics);

    /// <summary>Stops a file's processes and quarantines it, by SHA-1.</summary>
    public static MachineActionKind StopAndQuarantineFile { get; } = new("StopAndQuarantineFile", "StopAndQuarantineFile", AppRoles.StopAndQuarantine, needsSha1: true);

    /// <summary>Offboards a machine (Windows only; the sensor stops reporting).</summary>
    public static MachineActionKind Offboard { get; } = new("offboard", "Offboard", AppRoles.Offboard);

    /// <summary>Every machine action the client can request.</summary>
    public static IReadOnlyList<MachineActionKind> All { get; } = [Isolate, Release, RestrictAppExecution, RemoveAppRestriction, RunAntivirusScan, CollectInvestigationPackage, StopAndQuarantineFile, Offboard];

    /// <summary>
    /// For an action that puts a machine in a state or takes it out (isolate and release, restrict and remove the
    /// restriction): both of the pair, the one that puts it in first; null for every other action. The API keeps no
    /// such state on the machine (defender-api §3.4): the pair's actions are where it is read.
    /// </summary>
    public static (MachineActionKind On, MachineActionKind Off)? StatePairOf(MachineActionKind kind) =>
        kind == Isolate || kind == Release ? (Isolate, Release)
        : kind == RestrictAppExecution || kind == RemoveAppRestriction ? (RestrictAppExecution, RemoveAppRestriction)
        : null;

    /// <summary>The type Defender records for a live response action (run through its own endpoint, not a kind here).</summary>
    public const string LiveResponseType = "LiveResponse";

    /// <summary>Every type Defender records for a machine action (list filter values); live response included.</summary>
    public static IReadOnlyList<string> Types { get; } = [.. All.Select(k => k.Type), LiveResponseType];

    /// <summary>Statuses of a machine action.</summary>
    public static IReadOnlyList<string> Statuses { get; } = ["Pending", "InProgress", "Succeeded", "Failed", "TimeOut", "Cancelled"];

    /// <summary>The MDE action path segment (case-sensitive).</summary>
    public string Path { get; }

    /// <summary>The MachineAction type Defender records.</summary>
    public string Type { get; }

    /// <summary>The app role the action needs.</summary>
    public string Role { get; }

    /// <summary>The extra choice the action takes, if any.</summary>
    public MachineActionChoice? Choice { get; }

    /// <summary>True when the action needs a file's SHA-1.</summary>
    public bool NeedsSha1 { get; }

    /// <summary>The roles a cancel accepts, any one of them (cancel-machine-action.md; the emulator enforces the same).</summary>
    public static IReadOnlyList<string> CancelRoles { get; } =
        [AppRoles.CollectForensics, AppRoles.Isolate, AppRoles.RestrictExecution, AppRoles.Scan, AppRoles.Offboard, AppRoles.StopAndQuarantine, AppRoles.LiveResponse];

    /// <summary>The role the action of <paramref name="type"/> needs (live response included), or null for an unknown type.</summary>
    public static string? RoleOfType(string? type) =>
        type == LiveResponseType ? AppRoles.LiveResponse : All.FirstOrDefault(k => string.Equals(k.Type, type, StringComparison.Ordinal))?.Role;

    /// <summary>
    /// How a cancel's <c>permission_denied</c> names its role: the cancelled action's own role first (when its type is
    /// known), then that any other action role also works.
    /// </summary>
    public static string CancelRoleText(string? type)
    {
        var own = RoleOfType(type);
        var others = string.Join(", ", CancelRoles.Where(r => r != (own ?? CancelRoles[0])));
        return own is null
            ? $"{CancelRoles[0]} (or any one of {others})"
            : $"{own} (the role of the {type} action being cancelled; any one of {others} also works)";
    }

    /// <summary>Whether <paramref name="status"/> is final (Succeeded, Failed, TimeOut, Cancelled): it will not change again.</summary>
    public static bool IsFinal(string? status) => status is "Succeeded" or "Failed" or "TimeOut" or "Cancelled";

    /// <inheritdoc />
    public override string ToString() => Type;
}
