namespace DefenderMcp.Emulator.Hunting;

/// <summary>A query the emulator cannot run; the API answers 400 with this message.</summary>
public sealed class HuntingQueryException(string message) : Exception(message);
