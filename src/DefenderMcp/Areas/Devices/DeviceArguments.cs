using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Devices;

/// <summary>The <c>device</c> and <c>comment</c> parameters shared by device tools.</summary>
public static class DeviceArguments
{
    /// <summary><c>device</c> where a tool may go without one (a filter).</summary>
    public static ToolParameter OptionalDevice { get; } = ToolParameter.String("device", "Device id (40 hex characters) or computer DNS name, e.g. ctso-fin-lt-011.contoso.com.", 255, "^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$");

    /// <summary><c>device</c>: one device id or computer DNS name.</summary>
    public static ToolParameter Device { get; } = OptionalDevice.AsRequired();

    /// <summary><c>comment</c>: why, recorded with a device action.</summary>
    public static ToolParameter Comment { get; } = ToolParameter.String("comment", "Why: recorded with the action in Defender and in the audit trail.", MachineActionKind.MaxCommentLength).AsRequired();

    /// <summary>Resolves the <c>device</c> argument (id or name) to a machine.</summary>
    public static async Task<Machine> ResolveAsync(ToolCall call, DefenderClient client, CancellationToken cancellationToken)
    {
        var device = call.Arguments.RequiredString(Device);
        try
        {
            return await client.GetMachineAsync(device, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.NotFound)
        {
            throw new ToolException(ErrorCodes.NotFound, "No device with that id or name in this tenant. Use list_devices to find it.");
        }
    }
}
