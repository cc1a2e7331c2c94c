using System.Text.Json.Nodes;
using DefenderMcp.Client;
using DefenderMcp.Client.Http;

namespace DefenderMcp.Areas.Identity;

/// <summary>One identity response tool: its name and wording, and the client request it sends for a resolved user.</summary>
/// <param name="Tool">The tool name.</param>
/// <param name="Title">The tool title, also the action's wording in confirmations and results.</param>
/// <param name="Description">What it does and why one would use it.</param>
/// <param name="Destructive">Whether it cuts access or changes what a defender sees about the account.</param>
/// <param name="Request">Builds the client's typed Graph request for the user's object id.</param>
/// <param name="Change">The field and value the result reports once Graph accepted the write.</param>
public sealed record IdentityActionSpec(
    string Tool,
    string Title,
    string Description,
    bool Destructive,
    Func<DefenderClient, string, DefenderRequest<bool>> Request,
    (string Field, JsonNode Value) Change)
{
    /// <summary>revoke_user_sessions.</summary>
    public static IdentityActionSpec RevokeSessions { get; } = new(
        "revoke_user_sessions",
        "Revoke a user's sign-in sessions",
        "Invalidates the user's refresh tokens and browser session cookies (Graph revokeSignInSessions), so every app asks them to sign in again; access tokens already issued live on for up to an hour. Use it first when an account is compromised.",
        true,
        (client, id) => client.RevokeSignInSessions(id),
        ("sessions_revoked", JsonValue.Create(true)));

    /// <summary>disable_user.</summary>
    public static IdentityActionSpec Disable { get; } = new(
        "disable_user",
        "Disable a user account",
        "Blocks sign-in for the account (accountEnabled false). Pair with revoke_user_sessions to end the sessions it already has.",
        true,
        (client, id) => client.SetAccountEnabled(id, false),
        ("account_enabled", JsonValue.Create(false)));

    /// <summary>enable_user.</summary>
    public static IdentityActionSpec Enable { get; } = new(
        "enable_user",
        "Enable a user account",
        "Allows sign-in for the account again (accountEnabled true), e.g. once it is remediated.",
        false,
        (client, id) => client.SetAccountEnabled(id, true),
        ("account_enabled", JsonValue.Create(true)));

    /// <summary>confirm_user_compromised.</summary>
    public static IdentityActionSpec ConfirmCompromised { get; } = new(
        "confirm_user_compromised",
        "Confirm a user compromised",
        "Tells Entra ID Protection the account is compromised: its user risk becomes high, so risk-based Conditional Access applies. Needs Entra ID P2.",
        true,
        (client, id) => client.ConfirmUserCompromised(id),
        ("risk_level", JsonValue.Create("high")));

    /// <summary>dismiss_user_risk.</summary>
    public static IdentityActionSpec DismissRisk { get; } = new(
        "dismiss_user_risk",
        "Dismiss a user's risk",
        "Dismisses the account's risk in Entra ID Protection (risk level none), e.g. after a false positive or remediation. Needs Entra ID P2.",
        true,
        (client, id) => client.DismissUserRisk(id),
        ("risk_level", JsonValue.Create("none")));

    /// <summary>Every identity action, in the order they are listed.</summary>
    public static IReadOnlyList<IdentityActionSpec> All { get; } = [RevokeSessions, Disable, Enable, ConfirmCompromised, DismissRisk];
}
