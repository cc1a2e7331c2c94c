using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Emulator.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DefenderMcp.Emulator.Api;

/// <summary>
/// Graph users and Identity Protection risky users (defender-api.md §2.7): look-up by id or UPN, checkMemberGroups,
/// revokeSignInSessions (200 with value true, as the service really answers), PATCH accountEnabled (204), and
/// confirmCompromised / dismiss (204, flipping the stored risk). Each route checks its documented permissions.
/// </summary>
public static class IdentityEndpoints
{
    private const string Version = "/{version:regex(^(v1.0|beta)$)}";
    private static readonly string[] ReadUser = ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
    private static readonly string[] ReadGroups = ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"];
    private static readonly string[] RevokeSessions = ["User.RevokeSessions.All", "User.ReadWrite.All", "Directory.ReadWrite.All"];
    private static readonly string[] EnableDisable = ["User.EnableDisableAccount.All", "User.ReadWrite.All", "Directory.ReadWrite.All"];
    private static readonly string[] ReadRisk = ["IdentityRiskyUser.Read.All", "IdentityRiskyUser.ReadWrite.All"];
    private static readonly string[] WriteRisk = ["IdentityRiskyUser.ReadWrite.All"];

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapGet(Version + "/users/{user}", (HttpContext c, string user) => GetUserAsync(c, state, user));
        app.MapPatch(Version + "/users/{user}", (HttpContext c, string user) => PatchUserAsync(c, state, user));
        app.MapPost(Version + "/users/{user}/revokeSignInSessions", (HttpContext c, string user) => RevokeAsync(c, state, user));
        app.MapPost(Version + "/users/{user}/checkMemberGroups", (HttpContext c, string user) => CheckMemberGroupsAsync(c, state, user));
        app.MapGet(Version + "/identityProtection/riskyUsers/{id}", (HttpContext c, string id) => GetRiskyUserAsync(c, state, id));
        app.MapPost(Version + "/identityProtection/riskyUsers/confirmCompromised", (HttpContext c) => RiskAsync(c, state, "high", "confirmedCompromised"));
        app.MapPost(Version + "/identityProtection/riskyUsers/dismiss", (HttpContext c) => RiskAsync(c, state, "none", "dismissed"));
    }

    private static async Task GetUserAsync(HttpContext context, EmulatorState state, string user)
    {
        if (await FindAsync(context, state, user, ReadUser).ConfigureAwait(false) is not { } found)
        {
            return;
        }

        var (_, u) = found;
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["@odata.context"] = $"{Root(context)}/$metadata#users(id,userPrincipalName,displayName,accountEnabled)/$entity",
            ["id"] = u.Id,
            ["userPrincipalName"] = u.UserPrincipalName,
            ["displayName"] = u.DisplayName,
            ["accountEnabled"] = u.AccountEnabled,
        }).ConfigureAwait(false);
    }

    private static async Task PatchUserAsync(HttpContext context, EmulatorState state, string user)
    {
        if (await FindAsync(context, state, user, EnableDisable).ConfigureAwait(false) is not { } found)
        {
            return;
        }

        var body = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
        var problem = body is null || body.Count == 0 ? "The request body must be a JSON object with the properties to update." : null;
        foreach (var (name, value) in body ?? [])
        {
            problem ??= name switch
            {
                "accountEnabled" when value?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False) => "Invalid value specified for property 'accountEnabled' of resource 'User'.",
                "accountEnabled" => null,
                _ => $"Property '{(name.Length > 40 ? name[..40] : name)}' is not updatable in the emulator (only accountEnabled).",
            };
        }

        if (problem is not null)
        {
            await ApiErrors.WriteAsync(context, 400, "Request_BadRequest", problem).ConfigureAwait(false);
            return;
        }

        var (data, u) = found;
        lock (data.Gate)
        {
            u.AccountEnabled = body!["accountEnabled"]!.GetValue<bool>();
        }

        context.Response.StatusCode = 204;
    }

    private static async Task RevokeAsync(HttpContext context, EmulatorState state, string user)
    {
        if (await FindAsync(context, state, user, RevokeSessions).ConfigureAwait(false) is not { } found)
        {
            return;
        }

        var (data, u) = found;
        lock (data.Gate)
        {
            u.SignInSessionsValidFrom = DateTime.UtcNow;
        }

        // Documented as 204; the service answers 200 with a boolean (Graph known issue), and so does the emulator.
        await context.Response.WriteAsJsonAsync(new JsonObject { ["@odata.context"] = $"{Root(context)}/$metadata#Edm.Boolean", ["value"] = true }).ConfigureAwait(false);
    }

    private static async Task CheckMemberGroupsAsync(HttpContext context, EmulatorState state, string user)
    {
        if (await FindAsync(context, state, user, ReadGroups).ConfigureAwait(false) is not { } found)
        {
            return;
        }

        var ids = Ids((await JsonBody.ReadObjectAsync(context).ConfigureAwait(false))?["groupIds"]);
        if (ids is null || ids.Count is 0 or > 20)
        {
            await ApiErrors.WriteAsync(context, 400, "Request_BadRequest", "groupIds must be an array of 1 to 20 group ids.").ConfigureAwait(false);
            return;
        }

        var (data, u) = found;
        var groups = data.Directory!.TransitiveGroups(u);
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["@odata.context"] = $"{Root(context)}/$metadata#Collection(Edm.String)",
            ["value"] = new JsonArray([.. ids.Where(groups.Contains).Select(id => (JsonNode?)id)]),
        }).ConfigureAwait(false);
    }

    private static async Task GetRiskyUserAsync(HttpContext context, EmulatorState state, string id)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, ReadRisk).ConfigureAwait(false) is not { } data)
        {
            return;
        }

        var u = Directory(state, data).Users.FirstOrDefault(x => string.Equals(x.Id, id, StringComparison.OrdinalIgnoreCase));
        if (u is null)
        {
            await NotFoundAsync(context, id).ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["@odata.context"] = $"{Root(context)}/$metadata#identityProtection/riskyUsers/$entity",
            ["id"] = u.Id,
            ["userPrincipalName"] = u.UserPrincipalName,
            ["userDisplayName"] = u.DisplayName,
            ["riskLevel"] = u.RiskLevel,
            ["riskState"] = u.RiskState,
            ["riskDetail"] = u.RiskState switch { "confirmedCompromised" => "adminConfirmedUserCompromised", "dismissed" => "adminDismissedAllRiskForUser", _ => "none" },
            ["isDeleted"] = false,
            ["isProcessing"] = false,
        }).ConfigureAwait(false);
    }

    private static async Task RiskAsync(HttpContext context, EmulatorState state, string level, string riskState)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, WriteRisk).ConfigureAwait(false) is not { } data)
        {
            return;
        }

        var ids = Ids((await JsonBody.ReadObjectAsync(context).ConfigureAwait(false))?["userIds"]);
        if (ids is null || ids.Count == 0 || ids.Any(id => !Guid.TryParse(id, out _)))
        {
            await ApiErrors.WriteAsync(context, 400, "badRequest", "userIds must be a non-empty array of user object ids.").ConfigureAwait(false);
            return;
        }

        var directory = Directory(state, data);
        var users = ids.Select(id => directory.Users.FirstOrDefault(u => string.Equals(u.Id, id, StringComparison.OrdinalIgnoreCase))).ToList();
        if (users.IndexOf(null) is var missing and >= 0)
        {
            await NotFoundAsync(context, ids[missing]).ConfigureAwait(false);
            return;
        }

        lock (data.Gate)
        {
            foreach (var u in users)
            {
                u!.RiskLevel = level;
                u.RiskState = riskState;
            }
        }

        context.Response.StatusCode = 204;
    }

    // The caller's tenant and the named user, or null after writing the 401/403/404 the service would.
    private static async Task<(TenantData Data, EmulatedUser User)?> FindAsync(HttpContext context, EmulatorState state, string user, string[] roles)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, roles).ConfigureAwait(false) is not { } data)
        {
            return null;
        }

        if (Directory(state, data).Find(user) is { } found)
        {
            return (data, found);
        }

        await NotFoundAsync(context, user).ConfigureAwait(false);
        return null;
    }

    private static UserDirectory Directory(EmulatorState state, TenantData data)
    {
        lock (data.Gate)
        {
            return data.Directory ??= UserDirectory.For(StoryNames.For(data.Tenant.Key, state.IndexOf(data.Tenant)));
        }
    }

    private static Task NotFoundAsync(HttpContext context, string id) =>
        ApiErrors.WriteAsync(context, 404, "Request_ResourceNotFound", $"Resource '{(id.Length > 120 ? id[..120] : id)}' does not exist or one of its queried reference-property objects are not present.");

    private static List<string>? Ids(JsonNode? node) =>
        node is JsonArray array && array.All(n => JsonBody.Text(n) is not null) ? [.. array.Select(n => JsonBody.Text(n)!)] : null;

    private static string Root(HttpContext context) =>
        $"{context.Request.Scheme}://{context.Request.Host}{(context.Request.Path.StartsWithSegments("/beta") ? "/beta" : "/v1.0")}";
}
