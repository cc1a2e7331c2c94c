using System.Text.RegularExpressions;
using DefenderMcp.Client;
using DefenderMcp.Configuration;

namespace DefenderMcp.Policy;

/// <summary>
/// Matches a user against a tenant's <c>protected_users</c>: UPN globs, the user's object id, or a group the user is in
/// directly or through nested groups (asked of Graph with checkMemberGroups, because an object id in the list may name
/// either a user or a group). Break-glass and administrator accounts are what this is for.
/// </summary>
public static class ProtectedUsers
{
    /// <summary>The entry that protects <paramref name="user"/> by UPN glob or object id, without asking Graph; or null.</summary>
    public static string? MatchDirect(TenantPolicy policy, DirectoryUser user)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(user);
        foreach (var entry in policy.ProtectedUsers)
        {
            if (Guid.TryParseExact(entry, "D", out _))
            {
                if (string.Equals(entry, user.Id, StringComparison.OrdinalIgnoreCase))
                {
                    return entry;
                }
            }
            else if (user.UserPrincipalName is { } upn && Glob(entry, upn))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The object ids in the policy that are not the user's own: the groups whose membership decides.</summary>
    public static IReadOnlyList<string> GroupCandidates(TenantPolicy policy, DirectoryUser user)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(user);
        return [.. policy.ProtectedUsers.Where(e => Guid.TryParseExact(e, "D", out _) && !string.Equals(e, user.Id, StringComparison.OrdinalIgnoreCase))];
    }

    /// <summary>
    /// The entry that protects <paramref name="user"/>, asking Graph about group membership only when no UPN or id
    /// entry matched; null when none does. A failed membership check throws: the caller refuses rather than guesses.
    /// </summary>
    public static async Task<string?> MatchAsync(TenantPolicy policy, DirectoryUser user, DefenderClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (MatchDirect(policy, user) is { } direct)
        {
            return direct;
        }

        var groups = GroupCandidates(policy, user);
        if (groups.Count == 0)
        {
            return null;
        }

        var member = await client.CheckMemberGroupsAsync(user.Id, groups, cancellationToken).ConfigureAwait(false);
        return groups.FirstOrDefault(g => member.Contains(g, StringComparer.OrdinalIgnoreCase));
    }

    private static bool Glob(string pattern, string upn)
    {
        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(upn, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
