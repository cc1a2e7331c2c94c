using System.Text.Json.Nodes;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Entities;

/// <summary><c>get_user_info</c>: the devices an account logged on to and the alerts that name it.</summary>
public sealed class GetUserInfoTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_user_info",
        Title = "Get user info",
        Description = "Pivots on a user account (UPN, DOMAIN\\name or account name; Defender matches the account name): the devices it logged on to and the alerts that name it.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(UserInfoOutput),
        Parameters = [EntityArguments.User, EntityArguments.Limit, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var account = EntityArguments.Account(call.Arguments);
        var limit = call.Arguments.Integer(EntityArguments.Limit);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var devices = await client.ListUserMachinesAsync(account, limit + 1, ct).ConfigureAwait(false);
                var alerts = await client.ListUserAlertsAsync(account, limit + 1, ct).ConfigureAwait(false);
                call.Count("items", Math.Min(devices.Count, limit) + Math.Min(alerts.Count, limit));
                return ToJson(new UserInfoOutput(
                    tenant.Key,
                    account,
                    [.. devices.Take(limit).Select(DeviceOutput.From)],
                    [.. alerts.Take(limit).Select(EntityAlertOutput.From)],
                    devices.Count > limit || alerts.Count > limit));
            },
            cancellationToken);
    }
}
