namespace DefenderMcp.Configuration;

/// <summary>
/// The tier names a user writes in the configuration (<c>read</c>, <c>respond</c>, <c>live_response</c>), so every
/// place that shows a tier back (the tools command, the start-up audit line) uses the words the user can set.
/// </summary>
public static class ActionTierNames
{
    /// <summary>The configuration name of <paramref name="tier"/>.</summary>
    public static string ConfigName(this ActionTier tier) => tier switch
    {
        ActionTier.Read => "read",
        ActionTier.Respond => "respond",
        ActionTier.LiveResponse => "live_response",
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, null),
    };
}
