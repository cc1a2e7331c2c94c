namespace DefenderMcp.Policy;

/// <summary>
/// The caller policy in force, swapped whole when the callers file is reloaded: a reader sees the old policy or the
/// new one, never a mix. A tool call reads it once, at its start, and keeps that grant to its end.
/// </summary>
public sealed class CallerPolicySource(CallerPolicy initial)
{
    private CallerPolicy _current = initial ?? throw new ArgumentNullException(nameof(initial));

    /// <summary>The policy for new calls.</summary>
    public CallerPolicy Current => Volatile.Read(ref _current);

    /// <summary>Puts <paramref name="next"/> in force for every call that starts from now on.</summary>
    public void Replace(CallerPolicy next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Volatile.Write(ref _current, next);
    }
}
