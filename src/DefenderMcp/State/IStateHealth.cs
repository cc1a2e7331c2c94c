namespace DefenderMcp.State;

/// <summary>Whether the state store can be reached now; <c>/readyz</c> fails while it cannot. Embedded state always can.</summary>
public interface IStateHealth
{
    /// <summary>True when the store answers.</summary>
    Task<bool> IsAvailableAsync(CancellationToken cancellationToken);
}
