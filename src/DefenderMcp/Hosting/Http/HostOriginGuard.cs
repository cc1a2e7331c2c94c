using Microsoft.AspNetCore.Http;
using System.Net;
using Microsoft.Net.Http.Headers;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// DNS-rebinding and cross-site protection, which the SDK does not do: a Host header this server does not answer to, or
/// a browser Origin that is not allowed, gets 403 before authentication. On a loopback-only server the Host must be a
/// loopback name; elsewhere the allowed hosts are configurable (default any, since callers must authenticate).
/// </summary>
public sealed class HostOriginGuard(HttpServerOptions options)
{
    private readonly HashSet<string> _origins = new(options.AllowedOrigins, StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _hosts = new(options.AllowedHosts, StringComparer.OrdinalIgnoreCase);
    private readonly bool _anyHost = options.AllowedHosts.Contains("*") || (options.AllowedHosts.Count == 0 && !options.IsLoopbackOnly);

    /// <summary>The middleware.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!HostAllowed(context.Request.Host))
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status403Forbidden, -32000, "Forbidden: this server does not answer to that Host.").ConfigureAwait(false);
            return;
        }

        var origin = context.Request.Headers[HeaderNames.Origin].ToString();
        if (origin.Length > 0 && !OriginAllowed(origin, context.Request.Host))
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status403Forbidden, -32000, "Forbidden: Origin not allowed (see DEFENDER_MCP_HTTP_ALLOWED_ORIGINS).").ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>
    /// The Host check alone, for the protected resource metadata: it builds URLs from the Host, so a foreign one must not
    /// shape them; a browser client of another origin may still read it.
    /// </summary>
    public async Task InvokeHostOnlyAsync(HttpContext context, RequestDelegate next)
    {
        if (!HostAllowed(context.Request.Host))
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status403Forbidden, -32000, "Forbidden: this server does not answer to that Host.").ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>True when <paramref name="host"/> may be served.</summary>
    public bool HostAllowed(HostString host)
    {
        if (!host.HasValue)
        {
            return false;
        }

        if (_anyHost || _hosts.Contains(host.Host) || _hosts.Contains(host.Value))
        {
            return true;
        }

        return _hosts.Count == 0 && IsLoopbackName(host.Host);
    }

    private bool OriginAllowed(string origin, HostString host)
    {
        if (_origins.Contains("*") || _origins.Contains(origin.TrimEnd('/')))
        {
            return true;
        }

        // Same origin (a page this server itself would serve): the Origin names exactly the Host that was asked for.
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
            (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
            string.Equals(uri.Authority, host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsLoopbackName(string host)
    {
        var bare = host.Trim('[', ']');
        return string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(bare, out var ip) && IPAddress.IsLoopback(ip));
    }
}
