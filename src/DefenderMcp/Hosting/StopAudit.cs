using System.Globalization;
using DefenderMcp.Audit;

namespace DefenderMcp.Hosting;

/// <summary>
/// The last audit line of a clean stop (<c>server_stop</c>, with the transport and the uptime), so a trail that ends
/// without one shows a server that was killed or crashed. Made when the server starts serving; written once it has
/// stopped (after the HTTP drain), before the audit log is disposed.
/// </summary>
public sealed class StopAudit(AuditLog audit, string transport, TimeProvider time)
{
    /// <summary>The event of the line.</summary>
    public const string Event = "server_stop";

    private readonly long _started = time.GetTimestamp();
    private int _written;

    /// <summary>Writes the <c>server_stop</c> line; later calls write nothing.</summary>
    public void Write()
    {
        if (Interlocked.Exchange(ref _written, 1) == 1)
        {
            return;
        }

        var uptime = time.GetElapsedTime(_started);
        audit.Write(new AuditRecord
        {
            Event = Event,
            Outcome = "success",
            Counts = new Dictionary<string, long> { ["uptime_seconds"] = (long)uptime.TotalSeconds },
            Notes = [$"transport={transport}", "uptime=" + uptime.ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture)],
        });
    }
}
