using DefenderMcp.Client;

namespace DefenderMcp.Configuration;

/// <summary>
/// How long a Defender call may take: per attempt (<c>DEFENDER_MCP_ATTEMPT_TIMEOUT_SECONDS</c>, 30 by default) and in
/// total (<c>DEFENDER_MCP_CALL_TIMEOUT_SECONDS</c>, 50 by default, under the 60 s common MCP clients wait). The same
/// bounds apply to every tenant, in normal and demo mode.
/// </summary>
/// <param name="Attempt">Bound of one HTTP attempt.</param>
/// <param name="Call">Bound of one call, retries and page reads included.</param>
public sealed record CallTimeouts(TimeSpan Attempt, TimeSpan Call)
{
    /// <summary>The client's defaults (30 s and 50 s).</summary>
    public static CallTimeouts Default { get; } = new(new DefenderRetryOptions().RequestTimeout, new DefenderRetryOptions().CallTimeout);

    /// <summary>Reads both variables; each bad value becomes one problem and leaves the default.</summary>
    public static CallTimeouts Read(Func<string, string?> environment, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var attempt = PolicyReader.ParseInt(environment(EnvironmentVariables.AttemptTimeout), EnvironmentVariables.AttemptTimeout, 1, 300, problems);
        var call = PolicyReader.ParseInt(environment(EnvironmentVariables.CallTimeout), EnvironmentVariables.CallTimeout, 1, 600, problems);
        var read = new CallTimeouts(attempt is { } a ? TimeSpan.FromSeconds(a) : Default.Attempt, call is { } c ? TimeSpan.FromSeconds(c) : Default.Call);
        if (read.Attempt > read.Call)
        {
            problems.Add($"{EnvironmentVariables.AttemptTimeout}: must not exceed {EnvironmentVariables.CallTimeout} ({read.Call.TotalSeconds:0} s)");
        }

        return read;
    }

    /// <summary>The settings with these bounds on every tenant's client.</summary>
    public ServerSettings ApplyTo(ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings with
        {
            Tenants = [.. settings.Tenants.Select(t => t with { Connection = t.Connection with { Retry = t.Connection.Retry with { RequestTimeout = Attempt, CallTimeout = Call } } })],
        };
    }
}
