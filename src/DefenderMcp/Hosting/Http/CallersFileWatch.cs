using DefenderMcp.Audit;
using DefenderMcp.Configuration;
using DefenderMcp.Policy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Reloads the callers file when it changes, so an operator who takes a customer away from an analyst needs no
/// restart. A change is read once the file has stood still for one interval (an editor or a copy half done is not
/// read); a file that passes <see cref="CallersFile.Load"/> replaces the policy whole (<see cref="CallerPolicySource"/>)
/// for every call that starts from then on, and tools/list follows: each live session is told its tool list changed
/// (<see cref="ToolListChanges"/>), so a client that cached the list fetches it again. A file that does not pass
/// leaves the rules in force as they are and is one warning per version of the file: a reload never opens more than
/// the file says, and a broken file never closes everything.
/// </summary>
public sealed class CallersFileWatch(string path, IReadOnlyList<string> tenantKeys, CallerPolicySource policies, AuditLog audit, ILogger<CallersFileWatch> logger, TimeSpan? interval = null, ToolListChanges? toolLists = null)
    : BackgroundService
{
    private readonly TimeSpan _interval = interval ?? TimeSpan.FromSeconds(2);
    // The file as the server read it at start, a moment before this watch was made.
    private (DateTime WriteTime, long Length) _loaded = Stamp(path);
    private (DateTime WriteTime, long Length) _seen = Stamp(path);
    private (DateTime WriteTime, long Length)? _refused;
    private bool _announceFailed;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Check();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One look at the file: reloads it when it changed and has stood still since the last look.</summary>
    public void Check()
    {
        var now = Stamp(path);
        var settled = now == _seen;
        _seen = now;
        // A refused version is tried again at each look (a chmod or chown that fixes it changes neither time nor
        // length); only its first refusal is logged and audited.
        if (!settled || now == _loaded)
        {
            return;
        }

        try
        {
            var next = CallersFile.Load(path, tenantKeys);
            policies.Replace(next);
            _loaded = now;
            _refused = null;
            logger.LogInformation("The callers file {Path} was reloaded: {Count} caller rules; calls that start from now on use them.", path, next.Rules.Count);
            audit.Write(new AuditRecord { Event = "callers_reloaded", Outcome = "success", Counts = new Dictionary<string, long> { ["callers"] = next.Rules.Count } });
            Announce();
        }
        catch (Exception ex) when (ex is ConfigurationException or IOException or UnauthorizedAccessException)
        {
            // A file replaced or removed between the check and the read fails here too; it must never stop the watch
            // (an exception out of a hosted service stops the whole server).
            if (now == _refused)
            {
                return;
            }

            _refused = now;
            var kept = policies.Current.Rules.Count;
            // The problem lines name rules of the operator's own file and line numbers, never its values' secrets
            // (it holds none: key names, roles, group and object ids).
            IReadOnlyList<string> lines = ex is ConfigurationException configuration ? configuration.Problems : [$"{CallersFile.Variable}: cannot read the file ({ex.GetType().Name})"];
            var problems = string.Join("; ", lines.Take(3)) + (lines.Count > 3 ? $"; and {lines.Count - 3} more" : string.Empty);
            logger.LogWarning("The callers file {Path} changed but cannot be used ({Problems}); the {Count} caller rules in force stay in force until the file is fixed. Check it with defender-mcp doctor.", path, problems, kept);
            audit.Write(new AuditRecord { Event = "callers_reloaded", Outcome = "error", Counts = new Dictionary<string, long> { ["callers"] = kept } });
        }
    }

    // The reload is done whatever happens here: a session that ends meanwhile or a send that fails costs that client
    // its notice (it sees the new list at its next tools/list), never the reload or the server. The SDK sends each
    // session's notice on its own task, so only a failure raised while telling the sessions reaches this catch.
    private void Announce()
    {
        if (toolLists is null)
        {
            return;
        }

        try
        {
            toolLists.Announce();
        }
#pragma warning disable CA1031 // Any failure of a notice is logged and dropped: the reload has already taken effect.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!_announceFailed)
            {
                _announceFailed = true;
                logger.LogWarning("The callers file was reloaded but live sessions could not all be told their tool list changed ({Error}); they see the new list at their next tools/list. Logged once.", ex.GetType().Name);
            }
        }
    }

    // Time and length: a rewrite within the file system's time resolution still shows as a change when its size does.
    // A file gone or out of reach reads as a change too, and then fails to load: the rules in force stay.
    private static (DateTime, long) Stamp(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (DateTime.MinValue, -1);
        }
    }
}
