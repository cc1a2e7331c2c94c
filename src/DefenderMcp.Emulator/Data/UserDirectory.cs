namespace DefenderMcp.Emulator.Data;

/// <summary>
/// The Entra ID directory of an emulated tenant: the story's users (the first is the phished, at-risk user), a
/// break-glass account and an administrator, and nested groups (Tier 0 Admins inside Privileged Access), so that
/// protected_users by UPN glob, object id and transitive group membership can all be tried (docs/emulator.md).
/// </summary>
public sealed class UserDirectory
{
    private readonly Dictionary<string, IReadOnlyList<string>> _groupParents;

    private UserDirectory(IReadOnlyList<EmulatedUser> users, Dictionary<string, IReadOnlyList<string>> groupParents)
    {
        Users = users;
        _groupParents = groupParents;
    }

    /// <summary>Every user.</summary>
    public IReadOnlyList<EmulatedUser> Users { get; }

    /// <summary>The break-glass account's UPN.</summary>
    public static string BreakGlassUpn(string domain) => $"breakglass01@{domain}";

    /// <summary>The administrator's UPN (a member of Tier 0 Admins).</summary>
    public static string AdminUpn(string domain) => $"it.admin@{domain}";

    /// <summary>The Privileged Access group (contains Tier 0 Admins): protecting it protects the administrator transitively.</summary>
    public static string PrivilegedAccessGroupId(string domain) => DataGenerator.Guid("group:privileged-access:" + domain);

    /// <summary>The Tier 0 Admins group (the administrator is a direct member).</summary>
    public static string TierZeroAdminsGroupId(string domain) => DataGenerator.Guid("group:tier0-admins:" + domain);

    /// <summary>The object id of an account of the story (same as the azureAdUserId in alert evidence).</summary>
    public static string UserId(StoryNames names, string account)
    {
        ArgumentNullException.ThrowIfNull(names);
        return DataGenerator.Guid(account + names.Domain);
    }

    /// <summary>Builds the directory of a tenant.</summary>
    public static UserDirectory For(StoryNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var tierZero = TierZeroAdminsGroupId(names.Domain);
        var privileged = PrivilegedAccessGroupId(names.Domain);
        var users = names.Users.Select(account => new EmulatedUser(UserId(names, account), $"{account}@{names.Domain}", Display(account), [])).ToList();
        users[0].RiskLevel = "high";
        users[0].RiskState = "atRisk";
        users.Add(new EmulatedUser(UserId(names, "breakglass01"), BreakGlassUpn(names.Domain), "Break Glass 01 (emergency access)", []));
        users.Add(new EmulatedUser(UserId(names, "it.admin"), AdminUpn(names.Domain), "IT Admin", [tierZero]));
        return new UserDirectory(users, new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { [tierZero] = [privileged], [privileged] = [] });
    }

    /// <summary>A user by object id or UPN (case-insensitive), or null.</summary>
    public EmulatedUser? Find(string idOrUpn) =>
        Users.FirstOrDefault(u => string.Equals(u.Id, idOrUpn, StringComparison.OrdinalIgnoreCase) || string.Equals(u.UserPrincipalName, idOrUpn, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every group the user is in, directly or through nested groups.</summary>
    public IReadOnlySet<string> TransitiveGroups(EmulatedUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>(user.Groups);
        while (pending.TryPop(out var group))
        {
            if (seen.Add(group) && _groupParents.TryGetValue(group, out var parents))
            {
                foreach (var parent in parents)
                {
                    pending.Push(parent);
                }
            }
        }

        return seen;
    }

    private static string Display(string account) =>
        string.Join(' ', account.Split('.').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
}
