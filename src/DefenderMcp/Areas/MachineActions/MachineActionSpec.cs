namespace DefenderMcp.Areas.MachineActions;

/// <summary>One kind of device response action.</summary>
/// <param name="Tool">Tool name.</param>
/// <param name="Title">Tool title.</param>
/// <param name="Description">When to use it.</param>
/// <param name="Path">The MDE action path segment (case-sensitive).</param>
/// <param name="Type">The MachineAction type Defender records.</param>
/// <param name="Role">The app role it needs.</param>
/// <param name="Destructive">True for actions that cut a device off or remove things.</param>
/// <param name="Protected">True when protected devices must be refused.</param>
/// <param name="Option">An extra choice parameter: (name, body field, allowed values, default), or null.</param>
/// <param name="NeedsSha1">True for stop-and-quarantine.</param>
public sealed record MachineActionSpec(
    string Tool,
    string Title,
    string Description,
    string Path,
    string Type,
    string Role,
    bool Destructive,
    bool Protected,
    (string Name, string Field, string[] Values, string Default)? Option = null,
    bool NeedsSha1 = false)
{
    /// <summary>Every device action tool.</summary>
    public static IReadOnlyList<MachineActionSpec> All { get; } =
    [
        new("isolate_device", "Isolate a device", "Isolates a device from the network (Full or Selective keeps Outlook/Teams; UnManagedDevice contains an unmanaged device). Refused for protected devices. Confirmed by a person before it runs.", "isolate", "Isolate", "Machine.Isolate", true, true, ("isolation_type", "IsolationType", ["Full", "Selective", "UnManagedDevice"], "Full")),
        new("release_device", "Release a device from isolation", "Releases a device from isolation or containment. Confirmed by a person before it runs.", "unisolate", "Unisolate", "Machine.Isolate", false, false),
        new("restrict_app_execution", "Restrict app execution", "Restricts a device to run only Microsoft-signed code. Refused for protected devices. Confirmed by a person.", "restrictCodeExecution", "RestrictCodeExecution", "Machine.RestrictExecution", true, true),
        new("remove_app_restriction", "Remove app restriction", "Removes the app execution restriction of a device. Confirmed by a person.", "unrestrictCodeExecution", "UnrestrictCodeExecution", "Machine.RestrictExecution", false, false),
        new("run_antivirus_scan", "Run an antivirus scan", "Starts a Microsoft Defender Antivirus scan (Quick or Full) on a device. Confirmed by a person.", "runAntiVirusScan", "RunAntiVirusScan", "Machine.Scan", false, false, ("scan_type", "ScanType", ["Quick", "Full"], "Quick")),
        new("collect_investigation_package", "Collect an investigation package", "Collects a forensic investigation package from a device; download it later with get_investigation_package_uri. Confirmed by a person.", "collectInvestigationPackage", "CollectInvestigationPackage", "Machine.CollectForensics", false, false),
        new("stop_and_quarantine_file", "Stop and quarantine a file", "Stops a file's processes on a device and quarantines the file (by SHA-1). Refused for protected devices. Confirmed by a person.", "StopAndQuarantineFile", "StopAndQuarantineFile", "Machine.StopAndQuarantine", true, true, NeedsSha1: true),
        new("offboard_device", "Offboard a device", "Offboards a device from Defender for Endpoint (it stops reporting). Needs allow_offboard in the tenant policy; refused for protected devices. Confirmed by a person.", "offboard", "Offboard", "Machine.Offboard", true, true),
    ];
}
