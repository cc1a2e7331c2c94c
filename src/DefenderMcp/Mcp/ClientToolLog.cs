using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// Logging is deprecated by the 2026-07-28 revision, where a request carries its own log level in _meta; clients of
// earlier revisions (most of today's) ask once with logging/setLevel. Both are honoured here.
#pragma warning disable MCP9005

namespace DefenderMcp.Mcp;

/// <summary>
/// Sends the client a log notification (<c>notifications/message</c>) for each tool call once it has asked for logs,
/// with <c>logging/setLevel</c> or the request's own log level: the tool, how long it took, and for a failure the
/// error code, at info and warning. Never arguments, tenant text, tokens or upstream bodies: the audit line on stderr
/// is the full record.
/// </summary>
public static class ClientToolLog
{
    /// <summary>The logger name the client sees.</summary>
    public const string Category = "defender-mcp.tools";

    /// <summary>Wraps the call-tool handler.</summary>
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Create(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            ArgumentNullException.ThrowIfNull(context);
            var started = Stopwatch.GetTimestamp();
            var result = await next(context, cancellationToken).ConfigureAwait(false);
            var threshold = context.JsonRpcRequest.Context?.LogLevel ?? context.Server.LoggingLevel;
            var level = result.IsError == true ? LoggingLevel.Warning : LoggingLevel.Info;
            if (threshold is not { } minimum || level < minimum)
            {
                return result;
            }

            var tool = context.Params?.Name is { Length: <= 64 } name && ToolCatalog.Entries.Any(e => e.Definition.Name == name) ? name : "unknown";
            var milliseconds = ((long)Stopwatch.GetElapsedTime(started).TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            var message = result.IsError == true
                ? $"{tool} failed: {ErrorCode(result)} after {milliseconds} ms"
                : $"{tool} completed in {milliseconds} ms";
            var notification = new LoggingMessageNotificationParams
            {
                Level = level,
                Logger = Category,
                Data = JsonSerializer.SerializeToElement(message, McpJsonUtilities.DefaultOptions),
            };
            await context.Server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification, notification, cancellationToken: cancellationToken).ConfigureAwait(false);
            return result;
        };

    // The stable code from the tool's own error object; never its message, which may quote the caller's input.
    private static string ErrorCode(CallToolResult result) =>
        result.StructuredContent is { ValueKind: JsonValueKind.Object } structured &&
        structured.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object &&
        error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String &&
        code.GetString() is { Length: <= 40 } text && text.All(c => char.IsAsciiLetterLower(c) || c == '_')
            ? text
            : "error";
}
