namespace DefenderMcp.State;

/// <summary>Embedded state lives in this process (and its own files), so it is always reachable.</summary>
public sealed class EmbeddedStateHealth : IStateHealth
{
    /// <inheritdoc />
    public Task<bool> IsAvailableAsync(CancellationToken cancellationToken) => Task.FromResult(true);
}
