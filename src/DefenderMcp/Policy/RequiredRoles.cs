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
    public sealed record Need(ActionTier Tier, DefenderApi Api, IReadOnlyList<string> AnyOf);

    /// <summary>Every needed role, lowest tier first; the role names are the client's (it owns them).</summary>
    public static IReadOnlyList<Need> All { get; } =
    [
        .. DefenderClient.ReadRoles.Select(r => new Need(ActionTier.Read, r.Api, r.AnyOf)),
        .. DefenderClient.WriteRoles.Select(r => new Need(ActionTier.Respond, r.Api, r.AnyOf)),
        .. DefenderClient.LiveResponseRoles.Select(r => new Need(ActionTier.LiveResponse, r.Api, r.AnyOf)),
    ];

    /// <summary>The roles to grant for <paramref name="tier"/> on <paramref name="api"/> that <paramref name="granted"/> lacks.</summary>
    public static IReadOnlyList<string> Missing(ActionTier tier, DefenderApi api, IReadOnlySet<string> granted) =>
        [.. All.Where(n => n.Tier <= tier && n.Api == api && !n.AnyOf.Any(granted.Contains)).Select(n => n.AnyOf[0]).Distinct(StringComparer.Ordinal)];

    /// <summary>The roles to grant for <paramref name="tier"/> on either API that <paramref name="granted"/> lacks.</summary>
    public static IReadOnlyList<string> Missing(ActionTier tier, IReadOnlySet<string> granted) =>
        [.. All.Where(n => n.Tier <= tier && !n.AnyOf.Any(granted.Contains)).Select(n => n.AnyOf[0]).Distinct(StringComparer.Ordinal)];
}
