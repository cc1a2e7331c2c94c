using Microsoft.AspNetCore.Http;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Per-caller request limits on <c>/mcp</c> (ASP.NET Core rate limiting, a fixed window per caller name). Past the limit
/// a request gets 429 with <c>Retry-After</c> in whole seconds. This protects the server and the tenants' Microsoft
/// quotas from one runaway client; the Defender client keeps its own per-tenant quotas besides.
/// </summary>
public static class CallerRateLimiting
{
    /// <summary>The policy name on the MCP endpoint.</summary>
    public const string Policy = "caller";

    /// <summary>Registers the limiter.</summary>
    public static IServiceCollection AddCallerRateLimiting(this IServiceCollection services, HttpServerOptions options) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context => RateLimitPartition.GetFixedWindowLimiter(
                CallerIdentity.From(context.User)?.Name ?? CallerIdentity.Anonymous.Name,
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.RateLimitPermits,
                    Window = options.RateLimitWindow,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : (int)Math.Ceiling(options.RateLimitWindow.TotalSeconds);
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await HttpErrors.WriteBodyAsync(rejected.HttpContext, -32000, $"Too many requests for this caller; retry after {seconds} s.").ConfigureAwait(false);
            };
        });
}
