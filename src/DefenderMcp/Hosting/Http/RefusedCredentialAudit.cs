using DefenderMcp.Audit;
using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Sits between authentication and authorization on the MCP path: a request that presented a bearer credential the
/// server did not accept (no such API key, an Entra token that failed validation) is a <c>caller_refused</c> audit
/// line, coalesced per remote address (<see cref="CallerRefusalAudit"/>), before authorization answers it 401. A
/// request with no credential at all is not recorded: it is a client that has not signed in yet, not a refusal.
/// </summary>
public sealed class RefusedCredentialAudit(CallerRefusalAudit refusals, bool apiKeys, bool entra)
{
    /// <summary>The middleware.</summary>
    public Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.User.Identity?.IsAuthenticated != true && CallerAuthentication.BearerToken(context.Request) is { } presented)
        {
            // The same choice the caller scheme made: a JWT-shaped token (or any, without keys) went to Entra.
            var reason = entra && (!apiKeys || CallerAuthentication.LooksLikeJwt(presented)) ? CallerRefusals.InvalidBearer : CallerRefusals.UnknownApiKey;
            refusals.Refused(new CallerRefusal(reason, context.Request.Path.Value ?? string.Empty, Remote: context.Connection.RemoteIpAddress?.ToString()));
        }

        return next();
    }
}
