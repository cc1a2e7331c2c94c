namespace DefenderMcp.Emulator.Control;

/// <summary>The requests served, newest last, bounded so a long benchmark cannot exhaust memory.</summary>
public sealed class RequestLog
{
    private const int Capacity = 100_000;
    private readonly Lock _gate = new();
    private readonly Queue<RecordedRequest> _entries = new();

    /// <summary>Records one request.</summary>
    public void Add(RecordedRequest request)
    {
        lock (_gate)
        {
            if (_entries.Count == Capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(request);
        }
    }

    /// <summary>A snapshot of the log.</summary>
    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }

    /// <summary>Empties the log.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }
}
