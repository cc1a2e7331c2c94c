namespace DefenderMcp.Client;

/// <summary>Machine action list filter: structured fields only, never raw OData.</summary>
public sealed record MachineActionFilter
{
    /// <summary>machineId equals this.</summary>
    public string? MachineId { get; init; }

    /// <summary>status equals this (Pending, InProgress, Succeeded, Failed, TimeOut, Cancelled; any casing).</summary>
    public string? Status { get; init; }

    /// <summary>type equals this (Isolate, RunAntiVirusScan, ...).</summary>
    public string? Type { get; init; }
}
