using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Gives routing's <c>415</c> (a POST to the MCP endpoint whose Content-Type is not <c>application/json</c>) the
/// JSON-RPC error body every other HTTP error of the transport has; routing answers it with an empty body, before the
/// SDK runs. Only an authenticated caller gets this far (<see cref="McpAuthenticationGate"/>).
/// </summary>
public static class UnsupportedMediaTypeText
{
    /// <summary>The error's text.</summary>
    public const string Message = "Unsupported Content-Type: an MCP request body must be sent as application/json.";

    /// <summary>The middleware, on the MCP endpoint after the authentication gate.</summary>
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        await next(context).ConfigureAwait(false);
        if (context.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType && !context.Response.HasStarted)
        {
            await HttpErrors.WriteBodyAsync(context, -32600, Message).ConfigureAwait(false);
        }
    }
}
