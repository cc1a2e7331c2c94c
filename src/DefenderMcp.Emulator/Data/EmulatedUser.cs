namespace DefenderMcp.Emulator.Data;

/// <summary>One Entra ID user of an emulated tenant, with the state identity response changes.</summary>
/// <param name="Id">Object id (the story users' ids match the azureAdUserId in alert evidence).</param>
/// <param name="UserPrincipalName">UPN.</param>
/// <param name="DisplayName">Display name.</param>
/// <param name="Groups">The groups the user is a direct member of.</param>
public sealed class EmulatedUser(string Id, string UserPrincipalName, string DisplayName, IReadOnlyList<string> Groups)
{
    /// <summary>Object id.</summary>
    public string Id { get; } = Id;

    /// <summary>UPN.</summary>
    public string UserPrincipalName { get; } = UserPrincipalName;

    /// <summary>Display name.</summary>
    public string DisplayName { get; } = DisplayName;

    /// <summary>Direct group memberships.</summary>
    public IReadOnlyList<string> Groups { get; } = Groups;

    /// <summary>Whether the account can sign in.</summary>
    public bool AccountEnabled { get; set; } = true;

    /// <summary>Identity Protection risk level: none, low, medium, high.</summary>
    public string RiskLevel { get; set; } = "none";

    /// <summary>Identity Protection risk state: none, atRisk, confirmedCompromised, dismissed ...</summary>
    public string RiskState { get; set; } = "none";

    /// <summary>When sessions were last revoked (signInSessionsValidFromDateTime).</summary>
    public DateTime SignInSessionsValidFrom { get; set; }
}
