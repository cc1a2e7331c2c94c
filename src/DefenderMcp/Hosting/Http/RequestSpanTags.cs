using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Names ASP.NET Core's request span by shape (method, route template, status): ASP.NET Core itself puts no
/// attributes on it, and nothing the caller typed (path, query string, headers) is added here.
/// </summary>
public static class RequestSpanTags
{
    // Any other method name is the caller's text; OpenTelemetry's convention names it _OTHER.
    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal) { "GET", "POST", "DELETE", "HEAD", "OPTIONS", "PUT", "PATCH" };

    /// <summary>Middleware: tags the request span when telemetry records it; otherwise just calls on.</summary>
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is null || !activity.IsAllDataRequested)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var method = KnownMethods.Contains(context.Request.Method) ? context.Request.Method : "_OTHER";
        activity.SetTag("http.request.method", method);
        activity.DisplayName = method;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            activity.SetTag("http.response.status_code", context.Response.StatusCode);
            if ((context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } route)
            {
                activity.SetTag("http.route", route);
                activity.DisplayName = $"{method} {route}";
            }
        }
    }
}
