using DefenderMcp.Configuration;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace DefenderMcp.State.Redis;

/// <summary>
/// The one connection a replica keeps to the shared Redis. It never blocks start-up on an unreachable Redis (it keeps
/// reconnecting in the background), fails commands fast while Redis is down, and turns every Redis failure into a
/// <see cref="StateStoreException"/> whose message names no host or secret. Keys share one hash tag (the prefix), so
/// the atomic scripts also run on a Redis Cluster.
/// </summary>
public sealed class RedisConnection : IStateHealth, IDisposable
{
    /// <summary>The message every failure carries.</summary>
    public const string Unreachable = "the shared state store (Redis) cannot be reached.";

    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);
    private readonly ConnectionMultiplexer _multiplexer;
    private readonly string _prefix;

    private RedisConnection(ConnectionMultiplexer multiplexer, string prefix)
    {
        _multiplexer = multiplexer;
        _prefix = prefix;
    }

    /// <summary>The database commands go to.</summary>
    public IDatabase Database => _multiplexer.GetDatabase();

    /// <summary>Parses a connection string or a <c>redis://</c> / <c>rediss://</c> URL; null when it is not one.</summary>
    public static ConfigurationOptions? TryOptions(string connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            if (connection.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || connection.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
            {
                var url = new Uri(connection);
                if (string.IsNullOrEmpty(url.Host) || url.AbsolutePath.Trim('/').Length > 0 && !int.TryParse(url.AbsolutePath.Trim('/'), out _))
                {
                    return null;
                }

                var fromUrl = new ConfigurationOptions { Ssl = url.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase) };
                fromUrl.EndPoints.Add(url.Host, url.IsDefaultPort || url.Port <= 0 ? 6379 : url.Port);
                if (int.TryParse(url.AbsolutePath.Trim('/'), out var database))
                {
                    fromUrl.DefaultDatabase = database;
                }

                if (url.UserInfo.Length > 0)
                {
                    var parts = url.UserInfo.Split(':', 2);
                    fromUrl.User = parts.Length == 2 && parts[0].Length > 0 ? Uri.UnescapeDataString(parts[0]) : null;
                    fromUrl.Password = Uri.UnescapeDataString(parts.Length == 2 ? parts[1] : parts[0]);
                }

                return fromUrl;
            }

            var options = ConfigurationOptions.Parse(connection);
            return options.EndPoints.Count > 0 ? options : null;
        }
        catch (Exception ex) when (ex is ArgumentException or UriFormatException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Connects (or keeps trying in the background when Redis is down); logs the endpoints, never the password.</summary>
    public static RedisConnection Connect(RedisSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = TryOptions(settings.Connection) ?? throw new StateStoreException("DEFENDER_MCP_REDIS is not a valid connection string.");
        if (settings.Password is not null)
        {
            options.Password = settings.Password;
        }

        if (settings.CaFile is not null)
        {
            options.TrustIssuer(settings.CaFile);
        }

        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 3000;
        options.SyncTimeout = 3000;
        options.AsyncTimeout = 3000;
        options.ConnectRetry = 1;
        options.KeepAlive = 5;
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        // While Redis is down a command fails at once (a write is refused now), instead of waiting in a backlog.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName = "defender-mcp";
        var multiplexer = ConnectionMultiplexer.Connect(options);
        logger.LogInformation(
            "Shared state in Redis at {Endpoints} (TLS {Tls}, prefix {Prefix}, connected {Connected})",
            string.Join(", ", options.EndPoints.Select(e => e.ToString())),
            options.Ssl,
            settings.Prefix,
            multiplexer.IsConnected);
        return new RedisConnection(multiplexer, settings.Prefix);
    }

    /// <summary>The full key of <paramref name="name"/>: prefix as a hash tag, then the name.</summary>
    public RedisKey Key(string name) => "{" + _prefix + "}:" + name;

    /// <summary>Runs one Redis step; any Redis failure becomes a <see cref="StateStoreException"/>.</summary>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        try
        {
            return await step(Database).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOPERM", StringComparison.Ordinal) || ex.Message.StartsWith("EXECABORT", StringComparison.Ordinal))
        {
            // EXECABORT: a command queued in a transaction was refused, which with the documented set-up is the ACL.
            // Reachable, but its ACL user may not run a command the server needs: "cannot be reached" would send the
            // operator to the network. Redis's text names the command or key, never a value.
            throw new StateStoreException($"The shared state store (Redis) refused a command the server needs ({Clip(ex.Message)}): give its ACL user the commands docs/deployment.md lists (defender-mcp doctor checks them).", ex);
        }
        catch (RedisServerException ex)
        {
            // Reachable but failing (OOM, LOADING, READONLY, BUSY...): usually passing, so callers may try again, but
            // named by Redis's error word, not as the network. Only the word: the rest can quote a key.
            throw new StateStoreException($"The shared state store (Redis) answered with an error ({ErrorWord(ex.Message)}); see its log.", ex) { Unreachable = true };
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            throw new StateStoreException(char.ToUpperInvariant(Unreachable[0]) + Unreachable[1..], ex) { Unreachable = true };
        }
    }

    private static string ErrorWord(string message)
    {
        var word = message.Split(' ', 2)[0];
        return word.Length is > 0 and <= 32 && word.All(char.IsAsciiLetterUpper) ? word : "ERR";
    }

    private static string Clip(string text) => text.Length <= 160 ? text : text[..160];

    /// <inheritdoc />
    public async Task<bool> IsAvailableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Database.PingAsync().WaitAsync(PingTimeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _multiplexer.Dispose();
}
