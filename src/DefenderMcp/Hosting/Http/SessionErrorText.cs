using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Replaces the SDK's texts for a request without a usable session (an unknown or expired <c>Mcp-Session-Id</c>, or
/// none where one is needed, or a sessionless protocol revision) or with a body that is not a JSON-RPC message, which
/// speak to the server's developer ("enable stateless mode by setting HttpServerTransportOptions...") or quote the
/// parser's exception, with one that tells the caller what to do (for a session: initialize a new one). Status,
/// JSON-RPC code and id stay as the SDK sent them (404 for an unknown session, so clients re-initialize, as the
/// Streamable HTTP spec asks). Only a small JSON answer with status 400 or 404 is held back to be rewritten; any other
/// answer (every SSE stream among them) passes through as it is written.
/// </summary>
public static class SessionErrorText
{
    /// <summary>The text for a session this server does not hold (never made, closed, idle-expired or lost in a restart).</summary>
    public const string UnknownSession =
        "Unknown or expired MCP session: it was closed, timed out or never existed on this server. " +
        "Initialize a new session (an initialize request without the Mcp-Session-Id header) and use the id it returns.";

    /// <summary>The text for a request that needs a session but names none.</summary>
    public const string NoSession =
        "No MCP session: only an initialize request may be sent without the Mcp-Session-Id header. " +
        "Initialize a session first and send the Mcp-Session-Id it returns with every request.";

    /// <summary>The text for a DELETE that names no session to end.</summary>
    public const string NoSessionToEnd =
        "No MCP session to end: a DELETE ends the session its Mcp-Session-Id header names, and this request has none.";

    /// <summary>
    /// The text for a POST body that is not one JSON-RPC message, in place of the SDK's, which appends the JSON
    /// parser's exception text (and with it a piece of the caller's body).
    /// </summary>
    public const string InvalidMessage =
        "Bad Request: the POST body is not one valid JSON-RPC message. Send a single JSON object with \"jsonrpc\": \"2.0\" (batches are not accepted).";

    /// <summary>
    /// The text for a sessionless request of a protocol revision without sessions (2026-07-28 on), in place of the SDK's
    /// advice to the server's developer (which options to set, with their .NET type names).
    /// </summary>
    public const string SessionlessRevision =
        "Bad Request: this server serves MCP with sessions, and protocol versions from 2026-07-28 on have none. " +
        "Initialize a session with a version listed in this error's data.supported and send the Mcp-Session-Id it returns.";

    private const int HeldBackLimit = 16 * 1024;

    /// <summary>The middleware, on the MCP endpoint.</summary>
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        await using var held = new HoldingStream(context.Response, original, HeldBackLimit);
        context.Response.Body = held;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (held.HeldBody is { } body)
        {
            var rewritten = Rewrite(body) ?? body;
            context.Response.ContentLength = null;
            await original.WriteAsync(rewritten, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>The body with the caller's text in place of a known SDK session text, or null to keep it as it is.</summary>
    public static byte[]? Rewrite(byte[] body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }

        if (root is not JsonObject envelope || envelope["error"] is not JsonObject error || error["message"] is not JsonValue message
            || !message.TryGetValue(out string? text) || Replacement(text) is not { } replacement)
        {
            return null;
        }

        error["message"] = replacement;
        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    // The SDK's own texts (ModelContextProtocol.AspNetCore 2.4.0): "Session not found" for an unknown id, two
    // "Bad Request: ..." texts for a missing header, one for a body it cannot read and one for a sessionless revision. Anything else is left alone.
    private static string? Replacement(string text) =>
        text.StartsWith("Session not found", StringComparison.Ordinal) ? UnknownSession
        : text.StartsWith("Bad Request: A new session can only be created by an initialize request", StringComparison.Ordinal)
          || text.StartsWith("Bad Request: Mcp-Session-Id header is required", StringComparison.Ordinal) ? NoSession
        : text.StartsWith("Bad Request: The POST body did not contain a valid JSON-RPC message", StringComparison.Ordinal) ? InvalidMessage
        : text.StartsWith("Bad Request: Starting with protocol version", StringComparison.Ordinal) ? SessionlessRevision
        : null;

    // Writes through to the response unless the answer is a 400/404 JSON body, which it holds (up to a limit) so the
    // middleware can rewrite it before anything is sent. The decision is made at the first write or flush, when the
    // status and content type are set.
    private sealed class HoldingStream(HttpResponse response, Stream inner, int limit) : WriteOnlyResponseStream
    {
        private MemoryStream? _held;
        private bool _decided;

        public byte[]? HeldBody => _held?.ToArray();

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Decide();
            return _held is null ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Decide();
            if (_held is null)
            {
                await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (_held.Length + buffer.Length <= limit)
            {
                _held.Write(buffer.Span);
                return;
            }

            // Larger than any session error: not one of ours to rewrite, so send what was held and pass through.
            var already = _held.ToArray();
            _held = null;
            await inner.WriteAsync(already, cancellationToken).ConfigureAwait(false);
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        private void Decide()
        {
            if (_decided)
            {
                return;
            }

            _decided = true;
            if (response.StatusCode is StatusCodes.Status400BadRequest or StatusCodes.Status404NotFound
                && response.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
            {
                _held = new MemoryStream();
            }
        }
    }
}
