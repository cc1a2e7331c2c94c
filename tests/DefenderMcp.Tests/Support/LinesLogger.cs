using Microsoft.Extensions.Logging;

namespace DefenderMcp.Tests.Support;

/// <summary>
/// Keeps each log line at or above <paramref name="minimum"/> as "Level message", safe to read while the class under
/// test logs from another thread; <see cref="First"/> completes with the first line, for tests that wait for one.
/// </summary>
public sealed class LinesLogger<T>(LogLevel minimum = LogLevel.Trace) : ILogger<T>
{
    private readonly List<string> _lines = [];

    /// <summary>The first line kept.</summary>
    public TaskCompletionSource<string> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A copy of the lines kept so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var line = $"{logLevel} {formatter(state, exception)}";
        lock (_lines)
        {
            _lines.Add(line);
        }

        First.TrySetResult(line);
    }
}
