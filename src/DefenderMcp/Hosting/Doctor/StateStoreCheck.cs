using System.Diagnostics;
using DefenderMcp.Configuration;
using DefenderMcp.State.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace DefenderMcp.Hosting.Doctor;

/// <summary>
/// Where budgets, confirmations, rate windows and schedules live. With <c>DEFENDER_MCP_REDIS</c> a replica starts
/// even when Redis is down (and then refuses writes), so only a real round trip here says the cluster will work: it
/// connects with the server's own settings, then sets, reads and deletes one short-lived key through a script (the
/// budget and rate-limit steps are scripts, so an ACL without EVAL is caught too). The connection string is never
/// printed (it may hold a password): only the endpoints.
/// </summary>
public static class StateStoreCheck
{
    /// <summary>How long the check waits for Redis to answer.</summary>
    public static TimeSpan Wait { get; } = TimeSpan.FromSeconds(5);

    private const string Fix =
        "check DEFENDER_MCP_REDIS (host:port, or rediss:// for TLS), the password (DEFENDER_MCP_REDIS_PASSWORD or _FILE), " +
        "the private CA (DEFENDER_MCP_REDIS_CA_FILE) and that Redis runs and is reachable from this host";

    private const string RoundTrip = "redis.call('SET', KEYS[1], ARGV[1], 'PX', 10000); local v = redis.call('GET', KEYS[1]); redis.call('DEL', KEYS[1]); return v";

    /// <summary>
    /// The state finding for <paramref name="redis"/> (null: the embedded state of one process, kept in
    /// <paramref name="stateFolder"/> when set, which the configuration has already found writable).
    /// </summary>
    public static async Task<DoctorFinding> RunAsync(RedisSettings? redis, string? stateFolder, CancellationToken cancellationToken)
    {
        if (redis is null)
        {
            var kept = stateFolder is null
                ? "in memory (DEFENDER_MCP_STATE_DIR unset)"
                : $"in {stateFolder} (DEFENDER_MCP_STATE_DIR, writable by this user)";
            return new(DoctorFinding.AllTenants, "state", DoctorStatus.Ok, $"embedded in this process (DEFENDER_MCP_REDIS unset), kept {kept}: budgets, confirmations and rate windows are not shared between replicas");
        }

        var endpoints = RedisConnection.TryOptions(redis.Connection) is { } options
            ? $"{string.Join(", ", options.EndPoints.Select(e => e.ToString()))} (TLS {(options.Ssl ? "on" : "off")}, prefix {redis.Prefix})"
            : "the configured Redis";
        RedisConnection connection;
        try
        {
            connection = RedisConnection.Connect(redis, NullLogger.Instance);
        }
        catch (Exception ex) when (ex is State.StateStoreException or RedisException or ArgumentException)
        {
            return new(DoctorFinding.AllTenants, "state", DoctorStatus.Problem, $"Redis at {endpoints}: the connection cannot be set up", Fix);
        }

        using (connection)
        {
            var watch = Stopwatch.StartNew();
            while (!await connection.IsAvailableAsync(cancellationToken).ConfigureAwait(false))
            {
                if (watch.Elapsed >= Wait)
                {
                    return new(DoctorFinding.AllTenants, "state", DoctorStatus.Problem, $"Redis at {endpoints} does not answer within {Wait.TotalSeconds:0} s (or refuses the password)", Fix);
                }

                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }

            var value = Guid.NewGuid().ToString("N");
            try
            {
                var read = await connection.Database
                    .ScriptEvaluateAsync(RoundTrip, [connection.Key("doctor:" + value)], [value])
                    .WaitAsync(Wait, cancellationToken).ConfigureAwait(false);
                return (string?)read == value
                    ? new(DoctorFinding.AllTenants, "state", DoctorStatus.Ok, $"Redis at {endpoints} answers; set, read and delete through a script work ({watch.ElapsedMilliseconds} ms)")
                    : new(DoctorFinding.AllTenants, "state", DoctorStatus.Problem, $"Redis at {endpoints} answered the round trip with another value", "check that nothing rewrites this prefix's keys; use a prefix of this deployment's own (DEFENDER_MCP_REDIS_PREFIX)");
            }
            catch (RedisServerException ex)
            {
                // Redis's own refusal (e.g. NOPERM for an ACL without EVAL); it names commands, never the password.
                return new(DoctorFinding.AllTenants, "state", DoctorStatus.Problem, $"Redis at {endpoints} refused a command the server needs: {Mcp.Text.Clip(ex.Message, 200)}",
                    "give the Redis user GET, SET, DEL, EVAL/EVALSHA and the sorted-set and hash commands on the prefix's keys (docs/deployment.md)");
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                return new(DoctorFinding.AllTenants, "state", DoctorStatus.Problem, $"Redis at {endpoints} stopped answering during the round trip", Fix);
            }
        }
    }
}
