using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// The caller-authentication seam of the HTTP transport. One policy scheme, <see cref="Scheme"/>, forwards each request
/// to the scheme that can read its credential: a JWT-shaped bearer token to <see cref="EntraScheme"/> (when registered),
/// anything else to <see cref="ApiKeyScheme"/>, or everything to <see cref="AnonymousScheme"/> on an anonymous loopback
/// server. Every scheme yields a principal that <see cref="CallerIdentity.From"/> understands.
/// </summary>
public static class CallerAuthentication
{
    /// <summary>The default (policy) scheme.</summary>
    public const string Scheme = "Caller";

    /// <summary>Named API keys (<see cref="ApiKeyAuthenticationHandler"/>).</summary>
    public const string ApiKeyScheme = "ApiKey";

    /// <summary>Entra ID bearer tokens (the JWT bearer handler, registered under this name by the Entra mode).</summary>
    public const string EntraScheme = "EntraId";

    /// <summary><c>--allow-anonymous-loopback</c> (<see cref="AnonymousLoopbackAuthenticationHandler"/>).</summary>
    public const string AnonymousScheme = "AnonymousLoopback";

    /// <summary>The authorization policy every MCP request must satisfy: an authenticated caller.</summary>
    public const string Policy = "Caller";

    /// <summary>The bearer credential of a request, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
    }

    /// <summary>
    /// Registers the caller schemes and the <see cref="Policy"/> policy. <paramref name="apiKeyMatch"/> is null when no
    /// keys are configured; set <paramref name="entra"/> when the caller also registers <see cref="EntraScheme"/> on the
    /// returned builder.
    /// </summary>
    public static AuthenticationBuilder AddCallerAuthentication(this IServiceCollection services, Func<string, string?>? apiKeyMatch, bool anonymous, bool entra)
    {
        var builder = services.AddAuthentication(Scheme);
        builder.AddPolicyScheme(Scheme, "DefenderMcp caller", o => o.ForwardDefaultSelector = context =>
        {
            if (anonymous)
            {
                return AnonymousScheme;
            }

            if (entra && (apiKeyMatch is null || LooksLikeJwt(BearerToken(context.Request))))
            {
                return EntraScheme;
            }

            return ApiKeyScheme;
        });
        if (entra && !anonymous)
        {
            // One challenge for every credential while Entra is on: it names the protected resource metadata.
            builder.Services.PostConfigure<PolicySchemeOptions>(Scheme, o => o.ForwardChallenge = EntraScheme);
        }

        if (anonymous)
        {
            builder.AddScheme<AuthenticationSchemeOptions, AnonymousLoopbackAuthenticationHandler>(AnonymousScheme, null);
        }

        if (apiKeyMatch is not null)
        {
            builder.AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, o => o.Match = apiKeyMatch);
        }

        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return builder;
    }

    /// <summary>True when <paramref name="token"/> is shaped like a JWT: a compact JWS has three base64url segments and its header starts with '{"' (eyJ...); API keys never do.</summary>
    internal static bool LooksLikeJwt(string? token) =>
        token is not null && token.StartsWith("eyJ", StringComparison.Ordinal) && token.Count(c => c == '.') == 2;
}
