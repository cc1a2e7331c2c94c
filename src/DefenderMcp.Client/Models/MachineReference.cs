namespace DefenderMcp.Client;

/// <summary>A device named by a vulnerability or software (<c>machineReferences</c>): id, name, platform, group.</summary>
public sealed record MachineReference(string Id, string? ComputerDnsName, string? OsPlatform, string? RbacGroupName);
