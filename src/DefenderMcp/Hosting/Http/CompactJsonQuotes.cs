using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// The MCP endpoint's answers with JSON's own escape for a quote (<see cref="QuoteUnescapingStream"/>), as the stdio
/// transport writes them (<see cref="Stdio.CompactStreamServerTransport"/>): a result's text block is then about a sixth
/// smaller on the wire and reads as the JSON it is.
/// </summary>
public static class CompactJsonQuotes
{
    /// <summary>The middleware, on the MCP endpoint.</summary>
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var original = context.Response.Body;
        var compact = new QuoteUnescapingStream(context.Response, original);
        context.Response.Body = compact;
        try
        {
            await next(context).ConfigureAwait(false);
            await compact.WritePendingAsync(context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            context.Response.Body = original;
        }
    }
}
