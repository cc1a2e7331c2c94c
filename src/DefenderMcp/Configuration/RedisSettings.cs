using System.Text.RegularExpressions;

namespace DefenderMcp.Configuration;

/// <summary>
/// The shared state of a cluster of replicas (<c>DEFENDER_MCP_REDIS</c>). Unset, the server keeps its state in this
/// process. The password comes from its own variable or a 0600 file, never from the logs: <see cref="ToString"/> hides it.
/// </summary>
/// <param name="Connection">The connection string: <c>host:port[,ssl=true][,…]</c> or a <c>redis://</c> / <c>rediss://</c> (TLS) URL.</param>
/// <param name="Password">The password, from <c>DEFENDER_MCP_REDIS_PASSWORD</c> or <c>DEFENDER_MCP_REDIS_PASSWORD_FILE</c>.</param>
/// <param name="Prefix">Key prefix, so several deployments can share one Redis (default <c>defender-mcp</c>).</param>
/// <param name="CaFile">A PEM CA certificate that signs the Redis server's TLS certificate (private CA).</param>
public sealed partial record RedisSettings(string Connection, string? Password, string Prefix, string? CaFile)
{
    /// <summary>Connection string variable.</summary>
    public const string ConnectionVariable = "DEFENDER_MCP_REDIS";

    /// <summary>Password variable.</summary>
    public const string PasswordVariable = "DEFENDER_MCP_REDIS_PASSWORD";

    /// <summary>Password file variable (mode 0600).</summary>
    public const string PasswordFileVariable = "DEFENDER_MCP_REDIS_PASSWORD_FILE";

    /// <summary>Key prefix variable.</summary>
    public const string PrefixVariable = "DEFENDER_MCP_REDIS_PREFIX";

    /// <summary>Private CA variable.</summary>
    public const string CaFileVariable = "DEFENDER_MCP_REDIS_CA_FILE";

    /// <summary>The settings, or null when <c>DEFENDER_MCP_REDIS</c> is unset; each bad value becomes one problem (never echoing a secret).</summary>
    public static RedisSettings? Read(Func<string, string?> environment, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(problems);
        var connection = environment(ConnectionVariable);
        if (string.IsNullOrWhiteSpace(connection))
        {
            foreach (var orphan in new[] { PasswordVariable, PasswordFileVariable, PrefixVariable, CaFileVariable }.Where(v => environment(v) is not null))
            {
                problems.Add($"{orphan}: set without {ConnectionVariable}");
            }

            return null;
        }

        if (State.Redis.RedisConnection.TryOptions(connection) is null)
        {
            // The value may hold a password: it is not repeated.
            problems.Add($"{ConnectionVariable}: not a valid connection string (host:port[,ssl=true] or redis://host:port or rediss://host:port)");
        }

        var password = environment(PasswordVariable);
        var passwordFile = environment(PasswordFileVariable);
        if (password is not null && passwordFile is not null)
        {
            problems.Add($"{PasswordVariable} and {PasswordFileVariable}: set only one");
        }
        else if (passwordFile is not null)
        {
            if (SecureFile.Check(passwordFile, PasswordFileVariable) is { } problem)
            {
                problems.Add(problem);
            }
            else
            {
                password = File.ReadAllText(passwordFile).TrimEnd('\r', '\n');
            }
        }

        var prefix = environment(PrefixVariable) ?? "defender-mcp";
        if (!PrefixPattern().IsMatch(prefix))
        {
            problems.Add($"{PrefixVariable}: 1-64 letters, digits, '-', '_', '.' or ':'");
        }

        var ca = environment(CaFileVariable);
        if (ca is not null && !File.Exists(ca))
        {
            problems.Add($"{CaFileVariable}: file not found");
        }

        return new RedisSettings(connection, string.IsNullOrEmpty(password) ? null : password, prefix, ca);
    }

    /// <inheritdoc />
    public override string ToString() => $"RedisSettings {{ Prefix = {Prefix}, Password = {(Password is null ? "none" : "set")} }}";

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex PrefixPattern();
}
