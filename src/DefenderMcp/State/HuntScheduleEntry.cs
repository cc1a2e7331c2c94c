namespace DefenderMcp.State;

/// <summary>A stored schedule: which saved hunt runs, how often, and on which tenants.</summary>
/// <param name="Hunt">The saved hunt's name.</param>
/// <param name="Every">The interval between runs.</param>
/// <param name="Tenants">Keys of the tenants it runs on, in order.</param>
/// <param name="CreatedAt">When it was (last) scheduled.</param>
public sealed record HuntScheduleEntry(string Hunt, TimeSpan Every, IReadOnlyList<string> Tenants, DateTimeOffset CreatedAt);
