namespace DefenderMcp.Areas.Hunting;

/// <summary>One column of a hunting result.</summary>
public sealed record HuntingColumnOutput(string Name, string Type);
