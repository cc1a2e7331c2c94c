using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// <c>--allow-anonymous-loopback</c>: every request is the shared <see cref="CallerIdentity.Anonymous"/> caller, so the
/// per-caller limits and the audit line work the same as with keys. Registered only when every address is loopback.
/// </summary>
public sealed class AnonymousLoopbackAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(CallerIdentity.ToPrincipal(CallerIdentity.Anonymous, Scheme.Name), Scheme.Name)));
}
