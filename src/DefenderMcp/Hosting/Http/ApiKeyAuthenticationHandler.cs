using Microsoft.AspNetCore.Http;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> against the named API keys. The principal carries the key's
/// name (<see cref="CallerIdentity"/>), never the key. A failed or missing credential is challenged with 401 and
/// <c>WWW-Authenticate: Bearer</c>.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<ApiKeyAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (CallerAuthentication.BearerToken(Request) is not { } presented)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        // Bound the work an unauthenticated request can cause; real keys are 48 characters.
        if (presented.Length > 256 || Options.Match(presented) is not { } name)
        {
            return Task.FromResult(AuthenticateResult.Fail("invalid API key"));
        }

        var caller = new CallerIdentity(name, CallerIdentity.ApiKeyKind);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(CallerIdentity.ToPrincipal(caller, Scheme.Name), Scheme.Name)));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = CallerAuthentication.BearerToken(Request) is not null;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers[HeaderNames.WWWAuthenticate] = presented
            ? "Bearer realm=\"defender-mcp\", error=\"invalid_token\""
            : "Bearer realm=\"defender-mcp\"";
        await HttpErrors.WriteBodyAsync(Context, -32001, presented ? "Unauthorized: the API key is not valid." : "Unauthorized: send Authorization: Bearer <API key>.").ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await HttpErrors.WriteBodyAsync(Context, -32001, "Forbidden.").ConfigureAwait(false);
    }
}
