using DefenderMcp.Hunting;

namespace DefenderMcp.Tools.Hunting;

/// <summary>The recorded runs of a hunt, newest first.</summary>
public sealed record HuntResultsOutput(string Name, int Count, IReadOnlyList<HuntRunRecord> Runs);
