using System.Security.Claims;
using System.Text.Json.Nodes;
using DefenderMcp.Client.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Entra ID bearer tokens as caller credentials, validated by the ASP.NET Core JWT bearer handler: issuer, audience,
/// an RS256 signature by a key of the tenant's JWKS (discovered from its OpenID configuration, cached, and refreshed
/// within the request when a token names an unknown key: <see cref="EntraSigningKeys"/>), and lifetime with a small
/// skew. A caller is its <c>oid</c>, with its <c>roles</c> and <c>groups</c>. Per the MCP authorization spec, a 401
/// names the protected resource metadata (RFC 9728), served at <c>/.well-known/oauth-protected-resource</c>.
/// </summary>
public static class EntraAuthentication
{
    /// <summary>The RFC 9728 metadata path (also served with the MCP path appended, as RFC 9728 section 3.1 builds it).</summary>
    public const string MetadataPath = "/.well-known/oauth-protected-resource";

    /// <summary>
    /// Registers the JWT bearer handler as <see cref="CallerAuthentication.EntraScheme"/>; <paramref name="apiKeys"/>
    /// says whether API keys are accepted too, so the 401 names only the ways in that exist.
    /// </summary>
    public static AuthenticationBuilder AddEntraCallers(this AuthenticationBuilder builder, EntraCallerOptions entra, bool apiKeys)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(entra);
        var watch = new EntraAuthorityWatch(entra, TimeProvider.System);
        return builder.AddJwtBearer(CallerAuthentication.EntraScheme, o =>
        {
            o.MetadataAddress = entra.MetadataAddress.ToString();
            o.RequireHttpsMetadata = true;

            // The emulator's (or a TLS-inspecting proxy's) certificate is trusted only when configured; validation stays on.
            o.BackchannelHttpHandler = TlsTrust.CreateHandler(entra.TrustedCertificatePemPath);
            o.BackchannelTimeout = TimeSpan.FromSeconds(30);
            o.RefreshInterval = entra.KeyRefreshInterval;
            o.ConfigurationManager = new EntraSigningKeys(
                entra,
                new HttpClient(o.BackchannelHttpHandler, disposeHandler: false) { Timeout = o.BackchannelTimeout, MaxResponseContentBufferSize = 1024 * 1024 },
                TimeProvider.System);
            o.MapInboundClaims = false;
            o.SaveToken = false;
            o.IncludeErrorDetails = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuers = entra.Issuers,
                ValidAudiences = entra.Audiences,
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                ValidateIssuerSigningKey = true,
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                ClockSkew = entra.ClockSkew,
                NameClaimType = "oid",
                RoleClaimType = "roles",
            };
            o.Events = new JwtBearerEvents
            {
                OnTokenValidated = context => IdentifyCaller(context, entra.TenantId),
                OnAuthenticationFailed = context =>
                {
                    // The reason helps operators; the token itself never reaches a log.
                    var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("DefenderMcp.Http.Entra");
                    logger.LogInformation("Entra bearer token refused: {Reason}", context.Exception.GetType().Name);
                    if (context.Exception is SecurityTokenSignatureKeyNotFoundException)
                    {
                        // A foreign key id, or no keys at all because the authority cannot be read: the watch tells which.
                        watch.TokenLackedKey(logger);
                    }

                    return Task.CompletedTask;
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    await WriteChallengeAsync(context.HttpContext, entra, apiKeys).ConfigureAwait(false);
                },
            };
        });
    }

    /// <summary>
    /// Maps the protected resource metadata (no authentication): at the MCP path's well-known URL for the MCP endpoint,
    /// and at the host's root one for the host. RFC 9728 section 3.3: "resource" is the identifier a client built the
    /// metadata URL from, so the root document names the host; it named the MCP endpoint, which a client that derived
    /// the root URL must reject.
    /// </summary>
    public static void MapProtectedResourceMetadata(this IEndpointRouteBuilder app, EntraCallerOptions entra, string mcpPath)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(entra);
        Task Handle(HttpContext context, string resource)
        {
            context.Response.Headers.CacheControl = "no-store";
            var document = new JsonObject
            {
                ["resource"] = resource,
                ["authorization_servers"] = new JsonArray(entra.Authority.ToString().TrimEnd('/')),
                ["scopes_supported"] = new JsonArray([.. entra.Scopes.Select(s => (JsonNode)JsonValue.Create(s))]),
                ["bearer_methods_supported"] = new JsonArray("header"),
                ["resource_name"] = "DefenderMcp",
            };
            return context.Response.WriteAsJsonAsync(document, context.RequestAborted);
        }

        app.MapGet(MetadataPath, context => Handle(context, HostUri(context, entra)));
        app.MapGet(MetadataPath + mcpPath, context => Handle(context, ResourceUri(context, entra, mcpPath)));
    }

    /// <summary>
    /// The 401 of every caller scheme while Entra is on: <c>WWW-Authenticate: Bearer</c> with <c>resource_metadata</c>,
    /// and <c>error="invalid_token"</c> when a credential was presented. The reason is never told to the client, and
    /// API keys are named only when <paramref name="apiKeys"/> says the server takes them.
    /// </summary>
    public static async Task WriteChallengeAsync(HttpContext context, EntraCallerOptions entra, bool apiKeys)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(entra);
        var presented = CallerAuthentication.BearerToken(context.Request) is not null;
        var metadata = MetadataUri(context, entra);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers[HeaderNames.WWWAuthenticate] = presented
            ? $"Bearer realm=\"defender-mcp\", error=\"invalid_token\", resource_metadata=\"{metadata}\""
            : $"Bearer realm=\"defender-mcp\", resource_metadata=\"{metadata}\"";
        var message = presented
            ? "Unauthorized: the bearer token is not valid."
            : apiKeys ? "Unauthorized: sign in with Entra ID (see the resource metadata) or send an API key." : "Unauthorized: sign in with Entra ID (see the resource metadata).";
        await HttpErrors.WriteBodyAsync(context, -32001, message).ConfigureAwait(false);
    }

    // The names every caller scheme sets, so the audit, the rate limiter, the session binding and the caller policy
    // see an Entra caller like any other; roles and groups stay as issued.
    private static Task IdentifyCaller(TokenValidatedContext context, string tenantId)
    {
        var oid = context.Principal?.FindFirst("oid")?.Value;
        if (context.Principal?.Identity is not ClaimsIdentity identity || oid is null || !Guid.TryParse(oid, out _))
        {
            context.Fail("The token has no oid claim.");
            return Task.CompletedTask;
        }

        // Only the callers' own directory (DEFENDER_MCP_ENTRA_TENANT_ID): the issuer check alone trusts whichever tenant
        // a custom DEFENDER_MCP_ENTRA_AUTHORITY names, so a mistyped authority would let another directory's users in.
        if (!Guid.TryParse(identity.FindFirst("tid")?.Value, out var tid) || !Guid.TryParse(tenantId, out var expected) || tid != expected)
        {
            context.Fail("The token was issued for another directory than DEFENDER_MCP_ENTRA_TENANT_ID.");
            return Task.CompletedTask;
        }

        // Only an access token for this API: it names the client app that asked for it (azp, or appid in v1) and
        // carries what that app or user was granted (scp, roles). An ID token of this app (its aud can be the same
        // client id) names no client, and an app of the tenant granted nothing carries neither.
        if ((identity.FindFirst("azp") ?? identity.FindFirst("appid")) is null || (identity.FindFirst("scp") ?? identity.FindFirst("roles")) is null)
        {
            context.Fail("The token is not an access token granted for this API.");
            return Task.CompletedTask;
        }

        identity.AddClaim(new Claim(CallerIdentity.NameClaim, oid));
        identity.AddClaim(new Claim(CallerIdentity.KindClaim, CallerIdentity.EntraKind));
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, CallerIdentity.EntraKind + ":" + oid));
        identity.AddClaim(new Claim(ClaimTypes.Name, oid));
        return Task.CompletedTask;
    }

    // The MCP endpoint's identifier: the public URL (a bare host without its "/", as RFC 9728 section 3.1 writes it), or
    // the request's own origin with the MCP path. MetadataUri inserts the well-known part into exactly this.
    private static string ResourceUri(HttpContext context, EntraCallerOptions entra, string mcpPath) =>
        entra.PublicResource is { } resource
            ? resource.GetLeftPart(UriPartial.Authority) + (resource.AbsolutePath == "/" ? string.Empty : resource.AbsolutePath)
            : $"{context.Request.Scheme}://{context.Request.Host}{mcpPath}";

    // The host's identifier, which the root metadata URL is built from.
    private static string HostUri(HttpContext context, EntraCallerOptions entra) =>
        entra.PublicResource?.GetLeftPart(UriPartial.Authority) ?? $"{context.Request.Scheme}://{context.Request.Host}";

    private static string MetadataUri(HttpContext context, EntraCallerOptions entra) =>
        entra.PublicResource is { } resource
            ? $"{resource.GetLeftPart(UriPartial.Authority)}{MetadataPath}{(resource.AbsolutePath == "/" ? string.Empty : resource.AbsolutePath)}"
            : $"{context.Request.Scheme}://{context.Request.Host}{MetadataPath}{HttpServerRunner.McpPath}";
}
