using DefenderMcp.Configuration;

namespace DefenderMcp.Policy;

/// <summary>One entry of the callers file: who it matches, which tenants it opens and up to which tier.</summary>
/// <param name="Kind">What the rule matches on.</param>
/// <param name="Value">The key name, role name, group id or oid.</param>
/// <param name="Tenants">Tenant keys, or the single entry <c>*</c> for every configured tenant.</param>
/// <param name="Actions">The highest tier the rule grants on those tenants.</param>
public sealed record CallerRule(CallerMatchKind Kind, string Value, IReadOnlyList<string> Tenants, ActionTier Actions)
{
    /// <summary>Every configured tenant.</summary>
    public const string AllTenants = "*";

    /// <summary>True when the rule applies to <paramref name="caller"/>. Key rules match API keys only; the others Entra tokens only.</summary>
    public bool Matches(CallerContext caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Kind switch
        {
            CallerMatchKind.Key => caller.Kind == CallerKind.ApiKey && string.Equals(caller.Name, Value, StringComparison.Ordinal),
            CallerMatchKind.Oid => caller.Kind == CallerKind.Entra && string.Equals(caller.Name, Value, StringComparison.OrdinalIgnoreCase),
            CallerMatchKind.Role => caller.Kind == CallerKind.Entra && caller.Roles.Contains(Value, StringComparer.Ordinal),
            CallerMatchKind.Group => caller.Kind == CallerKind.Entra && caller.Groups.Contains(Value, StringComparer.OrdinalIgnoreCase),
            _ => false,
        };
    }
}
