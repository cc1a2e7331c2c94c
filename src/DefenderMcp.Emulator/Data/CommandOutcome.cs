namespace DefenderMcp.Emulator.Data;

/// <summary>How one live-response command will end, decided when the action is created.</summary>
/// <param name="Succeeded">Completed (true) or Failed.</param>
/// <param name="Error">The error text of a failed command.</param>
/// <param name="Result">What its result link downloads (null for PutFile, which has no result).</param>
public sealed record CommandOutcome(bool Succeeded, string? Error, byte[]? Result);
