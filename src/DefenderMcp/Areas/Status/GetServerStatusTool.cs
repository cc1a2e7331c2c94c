using System.Text.Json.Nodes;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.Status;

/// <summary><c>get_server_status</c>: per tenant, the policy, endpoints, authentication state and missing app roles.</summary>
public sealed class GetServerStatusTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_server_status",
        Title = "Get server status",
        Description = "Per tenant: tier, confirmation mode, actions left this hour, endpoints, token state, and the app roles the tokens lack for the tier and listed toolsets. Use it to diagnose permission or authentication errors.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(ServerStatusOutput),
        Parameters = [SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken) =>
        RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var roles = new HashSet<string>(StringComparer.Ordinal);
                var graph = await RolesAsync(client, DefenderApi.Graph, roles, ct).ConfigureAwait(false);
                var mde = await RolesAsync(client, DefenderApi.Mde, roles, ct).ConfigureAwait(false);
                // A token that could not be had says nothing of its roles: only an API whose token came is counted, so
                // a failed sign-in (graph_auth, defender_auth) is not also reported as a list of roles to grant.
                var toolsets = ToolCatalog.ListedToolsets(Services.Settings);
                // What this caller may do here: the lower of the tenant's tier and its own grant (an agent told
                // "live_response" would try writes it is refused).
                var tier = GrantFor(call).EffectiveTier(tenant) ?? ActionTier.Read;
                IReadOnlyList<string> missing =
                [
                    .. (graph == "ok" ? RequiredRoles.Missing(tier, DefenderApi.Graph, roles, toolsets, tenant.Policy.AllowOffboard) : []),
                    .. (mde == "ok" ? RequiredRoles.Missing(tier, DefenderApi.Mde, roles, toolsets, tenant.Policy.AllowOffboard) : []),
                ];
                return ToJson(new ServerStatusOutput(
                    tenant.Key,
                    tier switch { ActionTier.Read => "read", ActionTier.Respond => "respond", _ => "live_response" },
                    tenant.Policy.Confirmation.ToString().ToLowerInvariant(),
                    await RemainingAsync(tenant, ct).ConfigureAwait(false),
                    tenant.Connection.Endpoints.GraphRoot.Authority,
                    tenant.Connection.Endpoints.MdeRoot.Authority,
                    graph,
                    mde,
                    [.. roles.Order(StringComparer.Ordinal)],
                    missing));
            },
            cancellationToken);

    // A status read answers even when the state store is down; writes are then refused, so none remain.
    private async Task<int> RemainingAsync(TenantSettings tenant, CancellationToken cancellationToken)
    {
        try
        {
            return (await Services.Budget.CheckAsync(tenant.Key, tenant.Policy.MaxActionsPerHour, cancellationToken).ConfigureAwait(false)).Remaining;
        }
        catch (State.StateStoreException)
        {
            return 0;
        }
    }

    private static async Task<string> RolesAsync(DefenderClient client, DefenderApi api, HashSet<string> roles, CancellationToken cancellationToken)
    {
        try
        {
            roles.UnionWith(await client.GetGrantedRolesAsync(api, cancellationToken).ConfigureAwait(false));
            return "ok";
        }
        catch (DefenderApiException ex)
        {
            return ex.CodeName;
        }
    }
}
