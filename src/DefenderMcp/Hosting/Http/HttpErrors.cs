using Microsoft.AspNetCore.Http;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Error answers of the HTTP transport: a JSON-RPC error body like the SDK's own, with a fixed message. Never a stack
/// trace, exception text or upstream body.
/// </summary>
public static class HttpErrors
{
    /// <summary>Sets <paramref name="status"/> and writes the body.</summary>
    public static Task WriteAsync(HttpContext context, int status, int code, string message)
    {
        context.Response.StatusCode = status;
        return WriteBodyAsync(context, code, message);
    }

    /// <summary>Sets <paramref name="status"/> and writes the body, answering the request <paramref name="id"/>.</summary>
    public static Task WriteAsync(HttpContext context, int status, int code, string message, System.Text.Json.Nodes.JsonNode? id)
    {
        context.Response.StatusCode = status;
        return WriteBodyAsync(context, code, message, id);
    }

    /// <summary>Writes <c>{"jsonrpc":"2.0","id":null,"error":{code,message}}</c> unless the response has started.</summary>
    public static async Task WriteBodyAsync(HttpContext context, int code, string message, System.Text.Json.Nodes.JsonNode? id = null)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["error"] = new Dictionary<string, object> { ["code"] = code, ["message"] = message },
        });
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Outermost middleware: a request Kestrel refuses (body too large, malformed) keeps its status; any other failure
    /// becomes a bare 500. Only the exception's type is logged.
    /// </summary>
    public static async Task GuardAsync(HttpContext context, RequestDelegate next, ILogger logger)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            var status = ex.StatusCode;
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await WriteAsync(context, status, -32600, status == StatusCodes.Status413PayloadTooLarge ? "Request body too large." : "Bad request.").ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
        catch (Exception ex)
        {
            logger.LogError("HTTP request failed: {ExceptionType}", ex.GetType().FullName);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await WriteAsync(context, StatusCodes.Status500InternalServerError, -32603, "Internal error.").ConfigureAwait(false);
            }
            else
            {
                context.Abort();
            }
        }
    }
}
