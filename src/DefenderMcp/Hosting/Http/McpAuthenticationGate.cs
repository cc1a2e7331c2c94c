using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Answers an unauthenticated request on the MCP path 401 with the caller scheme's challenge before anything else of
/// the endpoint runs. Authorization alone is not enough: routing rejects a request that does not match the MCP
/// endpoint's constraints (say a POST without a JSON Content-Type) with its own 415 endpoint, which carries no
/// authorization policy, so an anonymous caller would learn what the endpoint accepts.
/// </summary>
public static class McpAuthenticationGate
{
    /// <summary>The middleware: runs after authentication, so <see cref="HttpContext.User"/> is the caller.</summary>
    public static Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return context.User.Identity?.IsAuthenticated == true ? next() : context.ChallengeAsync(CallerAuthentication.Scheme);
    }
}
