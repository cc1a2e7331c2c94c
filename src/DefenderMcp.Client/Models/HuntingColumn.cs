namespace DefenderMcp.Client;

/// <summary>One column of a hunting result, as the API names and types it.</summary>
public sealed record HuntingColumn(string Name, string Type);
