using DefenderMcp.Client;
using DefenderMcp.Configuration;

namespace DefenderMcp.Policy;

/// <summary>
/// The app roles each tier needs, per API, for the toolsets a server lists; shared by <c>get_server_status</c> and
/// <c>defender-mcp doctor</c> so both name the same missing roles. The rows are the client's (<see cref="AppRoles.Table"/>).
/// </summary>
public static class RequiredRoles
{
    /// <summary>One needed role, satisfied by any of <see cref="AnyOf"/> (ReadWrite covers Read).</summary>
    /// <param name="Tier">The lowest tier that needs it.</param>
    /// <param name="Api">The API whose token carries it.</param>
    /// <param name="AnyOf">Accepted roles; the first is the one to grant.</param>
    /// <param name="Toolsets">The toolsets whose tools need it; a server that lists none of them does not.</param>
    /// <param name="Offboard">Needed only where offboarding is allowed (allow_offboard), on top of the tier.</param>
    public sealed record Need(ActionTier Tier, DefenderApi Api, IReadOnlyList<string> AnyOf, IReadOnlyList<string> Toolsets, bool Offboard = false);

    /// <summary>Every needed role, lowest tier first; the role names are the client's (it owns them).</summary>
    public static IReadOnlyList<Need> All { get; } =
        [.. AppRoles.Table.Select(r => new Need(TierOf(r.Use), r.Api, r.AnyOf, r.Toolsets, r.Use == RoleUse.Offboard)).OrderBy(n => n.Tier)];

    /// <summary>
    /// The roles to grant for <paramref name="tier"/> on <paramref name="api"/> (null: both) that
    /// <paramref name="granted"/> lacks, counting only the rows of the <paramref name="toolsets"/> the server lists.
    /// </summary>
    public static IReadOnlyList<string> Missing(ActionTier tier, DefenderApi? api, IReadOnlySet<string> granted, IReadOnlySet<string> toolsets, bool allowOffboard = false) =>
        [.. All.Where(n => n.Tier <= tier && (!n.Offboard || allowOffboard) && (api is null || n.Api == api) && n.Toolsets.Any(toolsets.Contains) && !n.AnyOf.Any(granted.Contains))
            .Select(n => n.AnyOf[0])
            .Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The roles in <paramref name="granted"/> on <paramref name="api"/> that only a tier above <paramref name="tier"/>
    /// (or offboarding, when <paramref name="allowOffboard"/> is false) uses: the server never sends them, but whoever
    /// holds the credential can act with them, so a read-only tenant's app should not have them.
    /// </summary>
    public static IReadOnlyList<string> BeyondTier(ActionTier tier, DefenderApi api, IReadOnlySet<string> granted, bool allowOffboard = false)
    {
        ArgumentNullException.ThrowIfNull(granted);
        bool Used(Need n) => n.Tier <= tier && (!n.Offboard || allowOffboard);
        var used = All.Where(n => n.Api == api && Used(n)).SelectMany(n => n.AnyOf).ToHashSet(StringComparer.Ordinal);
        return [.. All.Where(n => n.Api == api && !Used(n)).SelectMany(n => n.AnyOf)
            .Where(r => granted.Contains(r) && !used.Contains(r))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    private static ActionTier TierOf(RoleUse use) => use switch
    {
        RoleUse.Read => ActionTier.Read,
        RoleUse.LiveResponse => ActionTier.LiveResponse,
        _ => ActionTier.Respond,
    };
}
