namespace DefenderMcp.Areas.MachineActions;

/// <summary>Machine actions, newest first.</summary>
public sealed record MachineActionListOutput(string Tenant, int Count, IReadOnlyList<MachineActionOutput> Actions);
