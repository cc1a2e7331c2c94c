using DefenderMcp.Emulator.Data;
using DefenderMcp.Emulator.Security;
using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Emulator.Api;

/// <summary>Checks every API request's bearer token: signature, lifetime, audience, tenant and role.</summary>
public static class ApiAuth
{
    /// <summary>The caller's tenant data, or null after writing a 401 or 403 like the real service.</summary>
    public static async Task<TenantData?> AuthorizeAsync(HttpContext context, EmulatorState state, params string[] anyRole)
    {
        var graph = ApiErrors.IsGraph(context);
        var header = context.Request.Headers.Authorization.ToString();
        var claims = header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? state.Tokens.Validate(header[7..], graph ? TokenService.GraphAudience : TokenService.MdeAudience, DateTimeOffset.UtcNow)
            : null;
        var tenant = claims is { } c && c.TryGetProperty("tid", out var tid) ? state.FindTenant(tid.GetString() ?? string.Empty) : null;
        if (claims is null || tenant is null)
        {
            await ApiErrors.WriteAsync(context, 401, graph ? "InvalidAuthenticationToken" : "Unauthorized", graph ? "Access token validation failure. Invalid audience, signature or lifetime." : "Authorization has been denied for this request.").ConfigureAwait(false);
            return null;
        }

        var roles = claims.Value.TryGetProperty("roles", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet() : [];
        if (!anyRole.Any(roles.Contains))
        {
            await ApiErrors.WriteAsync(context, 403, "Forbidden", $"Missing application role: {anyRole[0]}.").ConfigureAwait(false);
            return null;
        }

        context.Items["appId"] = claims.Value.TryGetProperty("appid", out var appId) ? appId.GetString() : null;
        return state.Data(tenant);
    }
}
