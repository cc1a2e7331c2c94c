namespace DefenderMcp.Audit;

/// <summary>
/// Writes <c>caller_refused</c> audit lines, coalesced: per source (the caller, or the remote address of an unknown
/// one) and reason, at most one line per window. Refusals inside a window are counted, and the count goes out as
/// <c>counts.suppressed</c> on the next line for that source and reason, or, when none comes, on a line written once
/// the window has passed. Each line thus stands for 1 + suppressed refusals, so a flood of bad keys cannot flood the
/// audit trail (or its disk), and no refusal goes uncounted.
/// </summary>
public sealed class CallerRefusalAudit : IDisposable
{
    /// <summary>The window when none is given.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);

    // Sources kept at once; past it, new sources share one entry per reason, so memory stays bounded under a spray.
    private const int MaxSources = 10_000;
    private const string OverflowSource = "overflow";

    private readonly AuditLog _audit;
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Source, string Reason), Window> _windows = [];
    private readonly ITimer _sweep;

    /// <summary>Creates the audit; a timer of <paramref name="time"/> writes the counts of windows that have passed.</summary>
    public CallerRefusalAudit(AuditLog audit, TimeProvider time, TimeSpan? window = null)
    {
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _window = window ?? DefaultWindow;
        _sweep = time.CreateTimer(_ => Sweep(), null, _window, _window);
    }

    /// <summary>Records one refusal: a line now, or a count for the next line when this source's window is open.</summary>
    public void Refused(CallerRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        long suppressed;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var key = (refusal.Source, refusal.Reason);
            if (!_windows.ContainsKey(key) && _windows.Count >= MaxSources)
            {
                key = (OverflowSource, refusal.Reason);
            }

            if (_windows.TryGetValue(key, out var open) && now < open.Ends)
            {
                open.Suppressed++;
                open.Last = refusal;
                return;
            }

            suppressed = open?.Suppressed ?? 0;
            _windows[key] = new Window(now + _window, refusal);
        }

        Write(refusal, suppressed);
    }

    /// <summary>Writes the counts of every window that has passed (the timer does this; also on dispose).</summary>
    public void Sweep() => Sweep(final: false);

    /// <inheritdoc />
    public void Dispose()
    {
        _sweep.Dispose();
        Sweep(final: true);
    }

    private void Sweep(bool final)
    {
        List<(CallerRefusal Refusal, long Suppressed)> due = [];
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var (key, window) in _windows.ToList())
            {
                if (!final && now < window.Ends)
                {
                    continue;
                }

                if (window.Suppressed == 0)
                {
                    _windows.Remove(key);
                    continue;
                }

                // The last suppressed refusal is the line's own; the others are its count. A new window opens, so a
                // flood that goes on still writes one line per window.
                due.Add((window.Last, window.Suppressed - 1));
                _windows[key] = new Window(now + _window, window.Last);
            }
        }

        foreach (var (refusal, suppressed) in due)
        {
            Write(refusal, suppressed);
        }
    }

    private void Write(CallerRefusal refusal, long suppressed) =>
        _audit.Write(new AuditRecord
        {
            Event = CallerRefusals.Event,
            Tool = refusal.Tool,
            Outcome = "refused",
            Reason = refusal.Reason,
            Path = AuditText.Clean(refusal.Path),
            Remote = refusal.CallerName is null ? AuditText.Clean(refusal.Remote, 64) : null,
            CallerName = refusal.CallerName is null ? null : AuditText.Clean(refusal.CallerName),
            CallerKind = refusal.CallerKind,
            CallerUpn = refusal.CallerName is null ? null : AuditText.Clean(refusal.CallerUpn),
            CallerDisplayName = refusal.CallerName is null ? null : AuditText.Clean(refusal.CallerDisplayName),
            Counts = new Dictionary<string, long> { ["suppressed"] = suppressed },
        });

    private sealed class Window(DateTimeOffset ends, CallerRefusal last)
    {
        public DateTimeOffset Ends { get; } = ends;

        public CallerRefusal Last { get; set; } = last;

        public long Suppressed { get; set; }
    }
}
