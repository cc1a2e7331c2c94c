using Microsoft.Extensions.Logging;

namespace DefenderMcp.Client.Http;

/// <summary>The pipeline's log messages: shapes only (method, path, status), never tokens, queries or bodies.</summary>
internal static partial class PipelineLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Retrying {Method} {Path} after status {Status} {Exception} (retry {Retry}, waiting {DelayMs} ms)")]
    public static partial void Retrying(ILogger logger, string method, string path, int status, string? exception, int retry, double delayMs);

    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "{Method} {Path} answered {Status} in {ElapsedMs} ms")]
    public static partial void Sent(ILogger logger, string method, string path, int status, double elapsedMs);
}
