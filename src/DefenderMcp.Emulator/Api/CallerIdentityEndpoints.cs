using System.Text.Json;
using DefenderMcp.Emulator.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DefenderMcp.Emulator.Api;

/// <summary>
/// Entra as the identity provider of the server's callers: the OpenID configuration and JWKS a JWT bearer handler
/// reads, and on the control plane the minting of caller tokens and the rotation of signing keys.
/// </summary>
public static class CallerIdentityEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (HttpContext c, string tenant) =>
            state.FindTenant(tenant) is { } t
                ? Results.Json(CallerIdentityProvider.OpenIdConfiguration(BaseOf(c), t))
                : UnknownTenant());
        app.MapGet("/{tenant}/discovery/v2.0/keys", (string tenant) =>
            state.FindTenant(tenant) is null ? UnknownTenant() : Results.Json(state.Callers.Jwks()));

        app.MapPost("/_emulator/caller-token", async (HttpContext c) =>
        {
            CallerTokenRequest? request;
            try
            {
                request = await c.Request.ReadFromJsonAsync<CallerTokenRequest>(ControlEndpoints.Json, c.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                return Results.BadRequest(new { error = "the body must be a CallerTokenRequest JSON object with tenant and audience" });
            }

            if (request is null || string.IsNullOrWhiteSpace(request.Audience) || !CallerSigning.IsKnown(request.Signing) ||
                request.LifetimeSeconds is < -86_400 or > 86_400 || request.NotBeforeSeconds is < -86_400 or > 86_400)
            {
                return Results.BadRequest(new { error = "need audience, signing published|none|foreign, lifetimeSeconds and notBeforeSeconds within a day" });
            }

            return state.FindTenant(request.Tenant ?? string.Empty) is { } tenant
                ? Results.Json(state.Callers.Mint(request, tenant, BaseOf(c), DateTimeOffset.UtcNow), ControlEndpoints.Json)
                : Results.BadRequest(new { error = "unknown tenant" });
        });
        app.MapPost("/_emulator/caller-keys/rotate", async (HttpContext c) =>
        {
            var body = await JsonBody.ReadObjectAsync(c).ConfigureAwait(false);
            var retire = body?["retirePrevious"] is { } r && r.GetValueKind() == JsonValueKind.True;
            var keyId = state.Callers.Rotate(retire);
            return Results.Json(new { keyId, published = state.Callers.PublishedKeyIds });
        });
    }

    private static Uri BaseOf(HttpContext context) => new($"{context.Request.Scheme}://{context.Request.Host}/");

    // Entra answers an unknown tenant in discovery with 400 and AADSTS90002.
    private static IResult UnknownTenant() => Results.Json(
        new { error = "invalid_tenant", error_description = "AADSTS90002: Tenant not found. Check to make sure you have the correct tenant ID." },
        statusCode: 400);
}
