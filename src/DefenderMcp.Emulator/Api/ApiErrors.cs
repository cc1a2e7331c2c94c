using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Emulator.Api;

/// <summary>Error bodies shaped like the real services': Graph (OData), MDE, and Entra.</summary>
public static class ApiErrors
{
    /// <summary>True for Graph routes.</summary>
    public static bool IsGraph(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/v1.0") || context.Request.Path.StartsWithSegments("/beta");

    /// <summary>Writes the error body of the route's API with <paramref name="status"/>.</summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string message, int? retryAfter = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var requestId = Guid.NewGuid().ToString();
        JsonObject body = IsGraph(context)
            ? new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["innerError"] = new JsonObject { ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), ["request-id"] = requestId, ["client-request-id"] = requestId } } }
            : new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["target"] = requestId } };
        return context.Response.WriteAsJsonAsync(body);
    }

    /// <summary>An Entra token-endpoint error.</summary>
    public static Task WriteEntraAsync(HttpContext context, int status, string error, int code, string description)
    {
        context.Response.StatusCode = status;
        var trace = Guid.NewGuid().ToString();
        return context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code}: {description} Trace ID: {trace} Correlation ID: {trace} Timestamp: {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["trace_id"] = trace,
            ["correlation_id"] = trace,
        });
    }
}
