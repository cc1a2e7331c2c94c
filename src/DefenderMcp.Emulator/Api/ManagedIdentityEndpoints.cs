using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DefenderMcp.Emulator.Api;

/// <summary>
/// Managed identity token endpoints (defender-api.md §1.8, §1.9): App Service style <c>GET /msi/token</c> with
/// <c>X-IDENTITY-HEADER</c>, and IMDS style <c>GET /metadata/identity/oauth2/token</c> with <c>Metadata: true</c>.
/// The system-assigned identity is the first tenant's full app; <c>client_id</c> picks any app (user-assigned).
/// </summary>
public static class ManagedIdentityEndpoints
{
    /// <summary>The demo value of <c>IDENTITY_HEADER</c> the App Service endpoint requires.</summary>
    public const string IdentityHeader = "defender-mcp-emulator-identity-header";

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapGet("/msi/token", (HttpContext c) => TokenAsync(c, state, imds: false));
        app.MapGet("/metadata/identity/oauth2/token", (HttpContext c) => TokenAsync(c, state, imds: true));
    }

    private static async Task TokenAsync(HttpContext context, EmulatorState state, bool imds)
    {
        var query = context.Request.Query;
        if (imds ? context.Request.Headers["Metadata"] != "true" : context.Request.Headers["X-IDENTITY-HEADER"] != IdentityHeader)
        {
            await ErrorAsync(context, imds ? 400 : 401, imds ? "bad_request_102" : "unauthorized_client", imds ? "Required metadata header not specified" : "The X-IDENTITY-HEADER is missing or wrong.").ConfigureAwait(false);
            return;
        }

        var resource = ((string?)query["resource"])?.Trim() ?? string.Empty;
        var audience = resource.Length == 0 ? null : Security.TokenService.AudienceForScope(resource.TrimEnd('/') + "/.default");
        if (audience is null)
        {
            await ErrorAsync(context, 400, "invalid_resource", "AADSTS500011: The resource principal was not found in the tenant.").ConfigureAwait(false);
            return;
        }

        string? clientId = query["client_id"];
        var tenant = clientId is null ? state.Tenants[0] : state.Tenants.FirstOrDefault(t => t.App.ClientId == clientId || t.LimitedApp.ClientId == clientId);
        var identity = tenant is null ? null : clientId is null || tenant.App.ClientId == clientId ? tenant.App : tenant.LimitedApp;
        if (tenant is null || identity is null)
        {
            await ErrorAsync(context, 400, "invalid_request", "No managed identity with this client_id is assigned to the resource.").ConfigureAwait(false);
            return;
        }

        var now = DateTimeOffset.UtcNow;
        context.Items["appId"] = identity.ClientId;
        var token = state.Tokens.Issue(tenant, identity, audience, now);
        string Epoch(DateTimeOffset t) => t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        // Managed identity responses carry numbers as strings (§6 item 13).
        await context.Response.WriteAsJsonAsync(imds
            ? new Dictionary<string, string>
            {
                ["access_token"] = token, ["refresh_token"] = string.Empty, ["expires_in"] = "3599", ["expires_on"] = Epoch(now.AddSeconds(3599)),
                ["not_before"] = Epoch(now), ["resource"] = resource, ["token_type"] = "Bearer",
            }
            : new Dictionary<string, string>
            {
                ["access_token"] = token, ["expires_on"] = Epoch(now.AddSeconds(3599)), ["resource"] = resource, ["token_type"] = "Bearer", ["client_id"] = identity.ClientId,
            }).ConfigureAwait(false);
    }

    private static Task ErrorAsync(HttpContext context, int status, string error, string description)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description });
    }
}
