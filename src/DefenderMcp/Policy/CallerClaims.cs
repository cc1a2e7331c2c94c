using System.Security.Claims;

namespace DefenderMcp.Policy;

/// <summary>
/// Reads the caller of an MCP request from the principal the HTTP transport's authentication produced. Every scheme
/// sets the caller's name and kind claims; an Entra principal also carries <c>roles</c> and <c>groups</c> as issued.
/// </summary>
public static class CallerClaims
{
    /// <summary>The claim with the caller's name (API key name or Entra <c>oid</c>).</summary>
    public const string Name = "defender_mcp_caller";

    /// <summary>The claim with how the caller was identified: <c>api_key</c>, <c>entra</c> or <c>anonymous</c>.</summary>
    public const string Kind = "defender_mcp_caller_kind";

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
        var name = user.FindFirst(Name)?.Value;
        return user.FindFirst(Kind)?.Value switch
        {
            "api_key" when name is { Length: > 0 } => CallerContext.ApiKey(name),
            "entra" or null when (oid ?? name) is { Length: > 0 } entra => CallerContext.Entra(entra, Values(user, "roles", ClaimTypes.Role), Values(user, "groups")),
            _ => new CallerContext(name ?? "unknown", CallerKind.Anonymous, [], []),
        };
    }

    private static IReadOnlyList<string> Values(ClaimsPrincipal user, params string[] types) =>
        [.. user.Claims.Where(c => types.Contains(c.Type, StringComparer.Ordinal)).Select(c => c.Value).Distinct(StringComparer.Ordinal)];
}
