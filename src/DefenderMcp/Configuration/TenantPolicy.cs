namespace DefenderMcp.Configuration;

/// <summary>The safety policy of one tenant (DESIGN.md section 6).</summary>
/// <param name="Actions">The highest tier of tools allowed.</param>
/// <param name="Confirmation">How writes are confirmed.</param>
/// <param name="ProtectedDevices">Name globs, machine ids or <c>tag:X</c> entries that containment actions never touch.</param>
/// <param name="MaxActionsPerHour">Write budget per rolling hour.</param>
/// <param name="AllowOffboard">Whether <c>offboard_device</c> may run at all.</param>
public sealed record TenantPolicy(
    ActionTier Actions,
    ConfirmationMode Confirmation,
    IReadOnlyList<string> ProtectedDevices,
    int MaxActionsPerHour,
    bool AllowOffboard)
{
    /// <summary>
    /// UPN globs (<c>breakglass*@contoso.com</c>), user object ids and group ids (membership is transitive) of the
    /// accounts identity response never touches: break-glass and administrator accounts.
    /// </summary>
    public IReadOnlyList<string> ProtectedUsers { get; init; } = [];

    /// <summary>The default policy: read only.</summary>
    public static TenantPolicy ReadOnlyDefault { get; } = new(ActionTier.Read, ConfirmationMode.Elicitation, [], 10, false);
}
