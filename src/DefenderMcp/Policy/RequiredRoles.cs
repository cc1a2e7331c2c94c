using DefenderMcp.Client;
using DefenderMcp.Configuration;

namespace DefenderMcp.Policy;

/// <summary>
/// The app roles each tier needs, per API; shared by <c>get_server_status</c> and <c>defender-mcp doctor</c> so both
/// name the same missing roles.
/// </summary>
public static class RequiredRoles
{
    /// <summary>One needed role, satisfied by any of <see cref="AnyOf"/> (ReadWrite covers Read).</summary>
    /// <param name="Tier">The lowest tier that needs it.</param>
    /// <param name="Api">The API whose token carries it.</param>
    /// <param name="AnyOf">Accepted roles; the first is the one to grant.</param>
    /// <param name="Offboard">Needed only where offboarding is allowed (allow_offboard), on top of the tier.</param>
    public sealed record Need(ActionTier Tier, DefenderApi Api, IReadOnlyList<string> AnyOf, bool Offboard = false);

    /// <summary>Every needed role, lowest tier first; the role names are the client's (it owns them).</summary>
    public static IReadOnlyList<Need> All { get; } =
    [
        .. DefenderClient.ReadRoles.Select(r => new Need(ActionTier.Read, r.Api, r.AnyOf)),
        .. DefenderClient.WriteRoles.Select(r => new Need(ActionTier.Respond, r.Api, r.AnyOf)),
        .. DefenderClient.OffboardRoles.Select(r => new Need(ActionTier.Respond, r.Api, r.AnyOf, Offboard: true)),
        .. DefenderClient.LiveResponseRoles.Select(r => new Need(ActionTier.LiveResponse, r.Api, r.AnyOf)),
    ];

    /// <summary>The roles to grant for <paramref name="tier"/> on <paramref name="api"/> that <paramref name="granted"/> lacks.</summary>
    public static IReadOnlyList<string> Missing(ActionTier tier, DefenderApi api, IReadOnlySet<string> granted, bool allowOffboard = false) =>
        [.. All.Where(n => Applies(n, tier, allowOffboard) && n.Api == api && !n.AnyOf.Any(granted.Contains)).Select(n => n.AnyOf[0]).Distinct(StringComparer.Ordinal)];

    /// <summary>The roles to grant for <paramref name="tier"/> on either API that <paramref name="granted"/> lacks.</summary>
    public static IReadOnlyList<string> Missing(ActionTier tier, IReadOnlySet<string> granted, bool allowOffboard = false) =>
        [.. All.Where(n => Applies(n, tier, allowOffboard) && !n.AnyOf.Any(granted.Contains)).Select(n => n.AnyOf[0]).Distinct(StringComparer.Ordinal)];

    private static bool Applies(Need need, ActionTier tier, bool allowOffboard) => need.Tier <= tier && (!need.Offboard || allowOffboard);
}
