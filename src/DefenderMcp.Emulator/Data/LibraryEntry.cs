namespace DefenderMcp.Emulator.Data;

/// <summary>One file of an emulated live-response library: its bytes and the documented entity fields.</summary>
public sealed record LibraryEntry(string FileName, byte[] Content, string Sha256, string? Description, bool HasParameters, string? ParametersDescription, string CreatedBy, DateTime CreationTime, DateTime LastUpdatedTime);
