using System.Text.Json.Nodes;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Entities;

/// <summary><c>get_device_logon_users</c>: the accounts that logged on to a device.</summary>
public sealed class GetDeviceLogonUsersTool(ToolServices services) : DefenderTool(Spec, services)
{
    private static readonly ToolParameter Limit = EntityArguments.Limit.Described("Most accounts to return (default 25, at most 100).");

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_device_logon_users",
        Title = "Get device logon users",
        Description = "Lists the accounts that logged on to a device (by id or computer DNS name): first and last seen, logon types, domain admin.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(DeviceLogonUsersOutput),
        Parameters = [DeviceArguments.Device, Limit, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var limit = call.Arguments.Integer(Limit);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var machine = await DeviceArguments.ResolveAsync(call, client, ct).ConfigureAwait(false);
                var users = await client.ListLogonUsersAsync(machine.Id, limit + 1, ct).ConfigureAwait(false);
                var shown = users.Take(limit).Select(LogonUserOutput.From).ToList();
                call.Count("items", shown.Count);
                return ToJson(new DeviceLogonUsersOutput(tenant.Key, machine.Id, Text.Clip(machine.ComputerDnsName, 255), shown.Count, shown, users.Count > limit));
            },
            cancellationToken);
    }
}
