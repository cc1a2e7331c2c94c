using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client;

/// <summary>
/// Identity response through Graph (defender-api.md §2.7): look a user up, check group membership for protected_users,
/// revoke sign-in sessions, enable or disable the account, confirm or dismiss Identity Protection user risk.
/// </summary>
public sealed partial class DefenderClient
{
    /// <summary>The most groups <c>checkMemberGroups</c> takes in one request (user-checkmembergroups).</summary>
    public const int MaxGroupsPerCheck = 20;

    /// <summary>Reading a Graph user by id or UPN (the MDE role of the same name is another grant, on another API).</summary>
    internal const string GraphUserRead = AppRoles.GraphUserRead;

    /// <summary>Reading a user's transitive group membership (with User.Read.All).</summary>
    internal const string GroupMemberRead = AppRoles.GroupMemberRead;

    /// <summary>revokeSignInSessions; User.ReadWrite.All and Directory.ReadWrite.All also grant it.</summary>
    internal const string RevokeSessionsRole = AppRoles.RevokeSessions;

    /// <summary>PATCH accountEnabled; User.ReadWrite.All and Directory.ReadWrite.All also grant it.</summary>
    internal const string EnableDisableRole = AppRoles.EnableDisableAccount;

    /// <summary>confirmCompromised and dismiss (both need Entra ID P2 licences in the tenant).</summary>
    internal const string RiskyUserWrite = AppRoles.RiskyUserWrite;

    // A UPN as Entra allows it (letters, digits and ' . - _ ! # ^ ~; '#' for guests' #EXT#), escaped into the path.
    [GeneratedRegex("^[A-Za-z0-9'._!#^~-]{1,113}@[A-Za-z0-9.-]{1,253}$")]
    private static partial Regex UpnPattern();

    /// <summary>True for a user object id (a GUID).</summary>
    public static bool IsObjectId(string value) => Guid.TryParseExact(value, "D", out _);

    /// <summary>True for a UPN or an object id: the only forms a user may be named in, checked before any request.</summary>
    public static bool IsUserReference(string? value) =>
        value is { Length: > 0 and <= 320 } && (IsObjectId(value) || (UpnPattern().IsMatch(value) && !value.Contains("..", StringComparison.Ordinal)));

    /// <summary>Looks a user up by UPN or object id (<c>GET /users/{id | userPrincipalName}</c>); not_found when unknown.</summary>
    public async Task<DirectoryUser> GetUserAsync(string user, CancellationToken cancellationToken)
    {
        var url = Graph($"v1.0/users/{UserSegment(user)}", ("$select", "id,userPrincipalName,displayName,accountEnabled"));
        var e = await GetObjectAsync(url, DefenderApi.Graph, GraphUserRead, RateFamily.Graph, cancellationToken).ConfigureAwait(false);
        var id = ModelReader.Str(e, "id");
        if (id is null || !IsObjectId(id))
        {
            throw new DefenderApiException(DefenderErrorCode.UpstreamError, "Graph returned a user without an object id.");
        }

        return new DirectoryUser(
            id,
            ModelReader.Str(e, "userPrincipalName"),
            ModelReader.Str(e, "displayName"),
            e.TryGetProperty("accountEnabled", out var enabled) && enabled.ValueKind is JsonValueKind.True or JsonValueKind.False ? enabled.GetBoolean() : null);
    }

    /// <summary>
    /// Which of <paramref name="groupIds"/> the user is a member of, directly or through nested groups
    /// (<c>POST /users/{id}/checkMemberGroups</c>, at most 20 groups a request; a read, so it is retried like one).
    /// </summary>
    public Task<IReadOnlyList<string>> CheckMemberGroupsAsync(string userId, IReadOnlyList<string> groupIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        var id = ObjectId(userId, "user");
        var groups = groupIds.Select(g => ObjectId(g, "group")).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return BoundedAsync(
            async ct =>
            {
                var member = new List<string>();
                foreach (var chunk in groups.Chunk(MaxGroupsPerCheck))
                {
                    var body = new JsonObject { ["groupIds"] = WriteValidation.Strings(chunk) }.ToJsonString();
                    var request = new DefenderRequest(HttpMethod.Post, Graph($"v1.0/users/{id}/checkMemberGroups"), DefenderApi.Graph, OperationKind.Read, body, GroupMemberRead, RateFamily.Graph);
                    using var doc = await GetDocumentAsync(request, ct).ConfigureAwait(false);
                    member.AddRange(ReadValue(doc).EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)
                        .Where(g => chunk.Contains(g, StringComparer.OrdinalIgnoreCase)));
                }

                return (IReadOnlyList<string>)member;
            },
            cancellationToken);
    }

    /// <summary>
    /// Revokes the user's refresh tokens and session cookies (<c>POST /users/{id}/revokeSignInSessions</c>). The service
    /// answers 200 with <c>value: true</c> although 204 is documented; any 2xx is success (Graph known issue), except an
    /// explicit <c>value: false</c>.
    /// </summary>
    public DefenderRequest<bool> RevokeSignInSessions(string userId) =>
        Write(HttpMethod.Post, Graph($"v1.0/users/{ObjectId(userId, "user")}/revokeSignInSessions"), DefenderApi.Graph, null, RevokeSessionsRole, RateFamily.Graph,
            body => body is { } e && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.False
                ? throw new DefenderApiException(DefenderErrorCode.UpstreamError, "Graph answered that the sign-in sessions were not revoked.")
                : true);

    /// <summary>Enables or disables sign-in (<c>PATCH /users/{id}</c> with <c>accountEnabled</c>; 204, no body). Reads as the value sent.</summary>
    public DefenderRequest<bool> SetAccountEnabled(string userId, bool enabled) =>
        Write(HttpMethod.Patch, Graph($"v1.0/users/{ObjectId(userId, "user")}"), DefenderApi.Graph, new JsonObject { ["accountEnabled"] = enabled }, EnableDisableRole, RateFamily.Graph, _ => enabled);

    /// <summary>Marks the user compromised in Identity Protection (risk level high): <c>POST /identityProtection/riskyUsers/confirmCompromised</c>, 204.</summary>
    public DefenderRequest<bool> ConfirmUserCompromised(string userId) => RiskyUserAction("confirmCompromised", userId);

    /// <summary>Dismisses the user's risk in Identity Protection (risk level none): <c>POST /identityProtection/riskyUsers/dismiss</c>, 204.</summary>
    public DefenderRequest<bool> DismissUserRisk(string userId) => RiskyUserAction("dismiss", userId);

    private DefenderRequest<bool> RiskyUserAction(string action, string userId) =>
        Write(HttpMethod.Post, Graph($"v1.0/identityProtection/riskyUsers/{action}"), DefenderApi.Graph, new JsonObject { ["userIds"] = WriteValidation.Strings([ObjectId(userId, "user")]) }, RiskyUserWrite, RateFamily.Graph, _ => true);

    private static string UserSegment(string user) =>
        IsUserReference(user) ? Uri.EscapeDataString(user) : throw WriteValidation.Invalid("The user must be a user principal name (name@domain) or an object id (GUID).");

    private static string ObjectId(string value, string what) =>
        IsObjectId(value) ? value.ToLowerInvariant() : throw WriteValidation.Invalid($"The {what} must be an object id (GUID).");
}
