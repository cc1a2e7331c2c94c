using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.Identity;

/// <summary>The <c>user</c> parameter: checked before any request, resolved to the object id, refused when protected.</summary>
public static class UserArguments
{
    /// <summary>
    /// The <c>user</c> parameter: an object id (GUID) or a UPN without "..", the client's rule
    /// (<see cref="DefenderClient.IsUserReference"/>), advertised and checked by the same pattern before any request.
    /// </summary>
    public static ToolParameter User { get; } = ToolParameter.String(
        "user",
        "The user's UPN (adele.vance@contoso.com) or Entra object id (GUID).",
        320,
        "^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|(?!.*[.][.])[A-Za-z0-9'._!#^~-]{1,113}@[A-Za-z0-9.-]{1,253})$").AsRequired();

    /// <summary>
    /// Validates <c>user</c>, looks the account up in Graph, and refuses it (policy_denied) when the tenant's
    /// protected_users names it by UPN glob, object id or group, all before any confirmation is asked.
    /// </summary>
    public static async Task<DirectoryUser> ResolveUnprotectedAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var value = call.Arguments.RequiredString(User);

        DirectoryUser user;
        try
        {
            user = await client.GetUserAsync(value, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.NotFound)
        {
            throw new ToolException(ErrorCodes.NotFound, "No user with that UPN or object id in this tenant's directory.");
        }

        string? entry;
        try
        {
            entry = await ProtectedUsers.MatchAsync(tenant.Policy, user, client, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex)
        {
            // Fail closed: without the membership answer the account may be protected.
            call.PolicyDecision = "denied_protected";
            throw new ToolException(ErrorCodes.PolicyDenied, $"The account's group membership could not be checked against protected_users ({ex.Message}), so the action is refused. Grant GroupMember.Read.All, or act in the Entra admin center.");
        }

        if (entry is not null)
        {
            call.PolicyDecision = "denied_protected";
            throw new ToolException(ErrorCodes.PolicyDenied, $"User {Text.Clip(user.UserPrincipalName, 320) ?? user.Id} is protected by the tenant policy (protected_users '{entry}'); this action is refused. Ask an administrator, or act in the Entra admin center.");
        }

        return user;
    }
}
