using System.Text.Json.Nodes;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Status;

/// <summary><c>get_server_status</c>: per tenant, the policy, endpoints, authentication state and missing app roles.</summary>
public sealed class GetServerStatusTool(ToolServices services) : DefenderTool(Spec, services)
{
    // Each needed role is satisfied by any of its alternatives (ReadWrite covers Read).
    private static readonly (ActionTier Tier, DefenderApi Api, string[] AnyOf)[] Needed =
    [
        (ActionTier.Read, DefenderApi.Graph, ["ThreatHunting.Read.All"]),
        (ActionTier.Read, DefenderApi.Graph, ["SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All"]),
        (ActionTier.Read, DefenderApi.Graph, ["SecurityAlert.Read.All", "SecurityAlert.ReadWrite.All"]),
        (ActionTier.Read, DefenderApi.Mde, ["Machine.Read.All", "Machine.ReadWrite.All"]),
        (ActionTier.Respond, DefenderApi.Graph, ["SecurityIncident.ReadWrite.All"]),
        (ActionTier.Respond, DefenderApi.Graph, ["SecurityAlert.ReadWrite.All"]),
        (ActionTier.Respond, DefenderApi.Graph, ["CustomDetection.ReadWrite.All"]),
        (ActionTier.Respond, DefenderApi.Mde, ["Machine.Isolate"]),
        (ActionTier.Respond, DefenderApi.Mde, ["Machine.Scan"]),
        (ActionTier.Respond, DefenderApi.Mde, ["Machine.RestrictExecution"]),
        (ActionTier.Respond, DefenderApi.Mde, ["Machine.CollectForensics"]),
        (ActionTier.Respond, DefenderApi.Mde, ["Machine.StopAndQuarantine"]),
        (ActionTier.Respond, DefenderApi.Mde, ["Ti.ReadWrite.All", "Ti.ReadWrite"]),
        (ActionTier.LiveResponse, DefenderApi.Mde, ["Machine.LiveResponse"]),
    ];

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_server_status",
        Title = "Get server status",
        Description = "Reports, per tenant, the enabled tier and confirmation mode, the hourly action budget left, the endpoints, whether tokens can be obtained, and the app roles the tokens lack for the enabled tiers. Use it to diagnose permission or authentication errors.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(ServerStatusOutput),
        InputSchema = Schema.Object([], ("tenant", Schema.Tenant(allowFanOut: true))),
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
                var missing = Needed.Where(n => n.Tier <= tenant.Policy.Actions && !n.AnyOf.Any(roles.Contains)).Select(n => n.AnyOf[0]).Distinct().ToList();
                return ToJson(new ServerStatusOutput(
                    tenant.Key,
                    tenant.Policy.Actions.ToString().ToLowerInvariant(),
                    tenant.Policy.Confirmation.ToString().ToLowerInvariant(),
                    Services.Budget.Remaining(tenant.Key, tenant.Policy.MaxActionsPerHour),
                    tenant.Connection.Endpoints.GraphRoot.Authority,
                    tenant.Connection.Endpoints.MdeRoot.Authority,
                    graph,
                    mde,
                    [.. roles.Order(StringComparer.Ordinal)],
                    missing));
            },
            cancellationToken);

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
