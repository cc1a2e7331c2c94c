using System.Security.Claims;
using DefenderMcp.Hosting.Http;

namespace DefenderMcp.Policy;

/// <summary>
/// Reads the caller of an MCP request from the principal the HTTP transport's authentication produced. Every scheme
/// sets the caller's name and kind claims; an Entra principal also carries <c>roles</c> and <c>groups</c> as issued.
/// </summary>
public static class CallerClaims
{
    /// <summary>
    /// The caller, or null for an unauthenticated principal or none at all (stdio and in-process calls: the operator).
    /// An authenticated principal of an unknown shape becomes a caller that no rule matches.
    /// </summary>
    public static CallerContext? From(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var oid = user.FindFirst("oid")?.Value ?? user.FindFirst("http://schemas.microsoft.com/identity/claims/objectidentifier")?.Value;
        var name = user.FindFirst(CallerIdentity.NameClaim)?.Value;
        return user.FindFirst(CallerIdentity.KindClaim)?.Value switch
        {
            CallerIdentity.ApiKeyKind when name is { Length: > 0 } => CallerContext.ApiKey(name),
            CallerIdentity.EntraKind or null when (oid ?? name) is { Length: > 0 } entra => CallerContext.Entra(entra, Values(user, "roles", ClaimTypes.Role), Values(user, "groups")),
            _ => new CallerContext(name ?? "unknown", CallerKind.Anonymous, [], []),
        };
    }

    private static IReadOnlyList<string> Values(ClaimsPrincipal user, params string[] types) =>
        [.. user.Claims.Where(c => types.Contains(c.Type, StringComparer.Ordinal)).Select(c => c.Value).Distinct(StringComparer.Ordinal)];
}
