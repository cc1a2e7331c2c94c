namespace DefenderMcp.Kql.Guard;

/// <summary>Context for the guard's warnings.</summary>
public sealed record KqlGuardOptions
{
    /// <summary>The query's look-back; a wide one without a time filter earns a warning.</summary>
    public TimeSpan Timespan { get; init; } = TimeSpan.FromDays(1);
}
