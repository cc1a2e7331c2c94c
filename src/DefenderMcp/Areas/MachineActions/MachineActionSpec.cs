using DefenderMcp.Client;

namespace DefenderMcp.Areas.MachineActions;

/// <summary>
/// The MCP side of one device response action: tool name and text, annotations and policy flags. The wire side
/// (path, recorded type, role, body field and its values) is the client's <see cref="MachineActionKind"/>.
/// </summary>
public sealed record MachineActionSpec
{
    /// <summary>The client's action.</summary>
    public required MachineActionKind Kind { get; init; }

    /// <summary>Tool name.</summary>
    public required string Tool { get; init; }

    /// <summary>Tool title.</summary>
    public required string Title { get; init; }

    /// <summary>When to use it.</summary>
    public required string Description { get; init; }

    /// <summary>True for actions that cut a device off or remove things.</summary>
    public required bool Destructive { get; init; }

    /// <summary>True when protected devices must be refused.</summary>
    public required bool Protected { get; init; }

    /// <summary>The parameter that carries the kind's <see cref="MachineActionKind.Choice"/>, if it has one.</summary>
    public string? ChoiceParameter { get; init; }

    /// <summary>Every device action tool.</summary>
    public static IReadOnlyList<MachineActionSpec> All { get; } =
    [
        new()
        {
            Kind = MachineActionKind.Isolate,
            Tool = "isolate_device",
            Title = "Isolate a device",
            Description = "Isolates a device from the network (Full or Selective keeps Outlook/Teams; UnManagedDevice contains an unmanaged device). Refused for protected devices. Confirmed by a person before it runs.",
            Destructive = true,
            Protected = true,
            ChoiceParameter = "isolation_type",
        },
        new()
        {
            Kind = MachineActionKind.Release,
            Tool = "release_device",
            Title = "Release a device from isolation",
            Description = "Releases a device from isolation or containment. Confirmed by a person before it runs.",
            Destructive = false,
            Protected = false,
        },
        new()
        {
            Kind = MachineActionKind.RestrictAppExecution,
            Tool = "restrict_app_execution",
            Title = "Restrict app execution",
            Description = "Restricts a device to run only Microsoft-signed code. Refused for protected devices. Confirmed by a person.",
            Destructive = true,
            Protected = true,
        },
        new()
        {
            Kind = MachineActionKind.RemoveAppRestriction,
            Tool = "remove_app_restriction",
            Title = "Remove app restriction",
            Description = "Removes the app execution restriction of a device. Confirmed by a person.",
            Destructive = false,
            Protected = false,
        },
        new()
        {
            Kind = MachineActionKind.RunAntivirusScan,
            Tool = "run_antivirus_scan",
            Title = "Run an antivirus scan",
            Description = "Starts a Microsoft Defender Antivirus scan (Quick or Full) on a device. Confirmed by a person.",
            Destructive = false,
            Protected = false,
            ChoiceParameter = "scan_type",
        },
        new()
        {
            Kind = MachineActionKind.CollectInvestigationPackage,
            Tool = "collect_investigation_package",
            Title = "Collect an investigation package",
            Description = "Collects a forensic investigation package from a device; download it later with get_investigation_package_uri. Confirmed by a person.",
            Destructive = false,
            Protected = false,
        },
        new()
        {
            Kind = MachineActionKind.StopAndQuarantineFile,
            Tool = "stop_and_quarantine_file",
            Title = "Stop and quarantine a file",
            Description = "Stops a file's processes on a device and quarantines the file (by SHA-1). Refused for protected devices. Confirmed by a person.",
            Destructive = true,
            Protected = true,
        },
        new()
        {
            Kind = MachineActionKind.Offboard,
            Tool = "offboard_device",
            Title = "Offboard a device",
            Description = "Offboards a device from Defender for Endpoint (it stops reporting). Needs allow_offboard in the tenant policy; refused for protected devices. Confirmed by a person.",
            Destructive = true,
            Protected = true,
        },
    ];
}
