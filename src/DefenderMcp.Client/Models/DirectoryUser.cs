namespace DefenderMcp.Client;

/// <summary>An Entra ID user as identity response needs it: the object id every write targets, and what a person confirms.</summary>
/// <param name="Id">The object id (a GUID): what the risky-user actions need, and what protected_users may name.</param>
/// <param name="UserPrincipalName">The UPN, matched against protected_users globs.</param>
/// <param name="DisplayName">The display name, shown in the confirmation.</param>
/// <param name="AccountEnabled">Whether the account can sign in.</param>
public sealed record DirectoryUser(string Id, string? UserPrincipalName, string? DisplayName, bool? AccountEnabled);
