using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Refuses an <c>initialize</c> without a string <c>protocolVersion</c>, a <c>capabilities</c> object or a
/// <c>clientInfo</c> object with a string name and version as invalid params (400) before the SDK reads it:
/// the SDK (2.4.0) throws while reading such a request, before any JSON-RPC answer, so the caller got a bare HTTP 500
/// "Internal error" for its own mistake and the log an error.
/// </summary>
public static class InitializeParamsCheck
{
    /// <summary>The middleware, on the MCP endpoint after authentication; only a sessionless POST is read.</summary>
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (SessionCap.OpensSession(context.Request) &&
            await ProblemAsync(context.Request, context.RequestAborted).ConfigureAwait(false) is { } problem)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status400BadRequest, -32602, $"Invalid params for initialize: {problem.Text}.", problem.Id).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private static async Task<Problem?> ProblemAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            // Not JSON: the SDK answers that one itself.
            return null;
        }
        finally
        {
            request.Body.Position = 0;
        }

        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object ||
                !body.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String ||
                !method.ValueEquals("initialize"))
            {
                return null;
            }

            var id = body.TryGetProperty("id", out var given) && given.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? JsonNode.Parse(given.GetRawText())
                : null;
            if (!body.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Object)
            {
                return new Problem(id, "params must be an object with protocolVersion, capabilities and clientInfo");
            }

            return Missing(parameters) is { } text ? new Problem(id, text) : null;
        }
    }

    // The first required field that is missing or of the wrong kind, named as the caller wrote it.
    private static string? Missing(JsonElement parameters)
    {
        if (!parameters.TryGetProperty("protocolVersion", out var version) || version.ValueKind != JsonValueKind.String)
        {
            return "'protocolVersion' must be a string naming the protocol version the client speaks, e.g. \"2025-06-18\"";
        }

        if (!parameters.TryGetProperty("capabilities", out var capabilities) || capabilities.ValueKind != JsonValueKind.Object)
        {
            return "'capabilities' must be an object naming the client's capabilities ({} for none)";
        }

        if (!parameters.TryGetProperty("clientInfo", out var client) || client.ValueKind != JsonValueKind.Object)
        {
            return "'clientInfo' must be an object with the client's name and version";
        }

        foreach (var field in (ReadOnlySpan<string>)["name", "version"])
        {
            if (!client.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String)
            {
                return $"'clientInfo.{field}' must be a string";
            }
        }

        return null;
    }

    private sealed record Problem(JsonNode? Id, string Text);
}
