namespace DefenderMcp.Client;

/// <summary>The one extra choice some machine actions take, e.g. <c>IsolationType</c> or <c>ScanType</c>.</summary>
/// <param name="Field">The MDE body field (case-sensitive).</param>
/// <param name="Values">The documented values, in their documented casing.</param>
/// <param name="Default">What is sent when the caller gives none.</param>
public sealed record MachineActionChoice(string Field, IReadOnlyList<string> Values, string Default);
