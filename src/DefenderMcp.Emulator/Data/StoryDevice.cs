namespace DefenderMcp.Emulator.Data;

/// <summary>What the file table needs of a machine: its name and its role in the story.</summary>
/// <param name="Name">computerDnsName.</param>
/// <param name="IsVictim">The compromised finance laptop.</param>
/// <param name="IsServer">The file server reached by lateral movement.</param>
public sealed record StoryDevice(string Name, bool IsVictim, bool IsServer);
