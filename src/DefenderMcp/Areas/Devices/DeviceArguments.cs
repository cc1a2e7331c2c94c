using System.Text.RegularExpressions;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Devices;

/// <summary>The <c>device</c> and <c>comment</c> parameters shared by device tools.</summary>
public static partial class DeviceArguments
{
    /// <summary>Schema of <c>device</c>.</summary>
    public static System.Text.Json.Nodes.JsonObject DeviceSchema => Schema.String("Device id (40 hex characters) or computer DNS name, e.g. ctso-fin-lt-011.contoso.com.", 255, "^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$");

    /// <summary>Schema of <c>comment</c>.</summary>
    public static System.Text.Json.Nodes.JsonObject CommentSchema => Schema.String("Why: recorded with the action in Defender and in the audit trail.", MachineActionKind.MaxCommentLength);

    /// <summary>What a device id or name may look like (checked before any request).</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$")]
    public static partial Regex DevicePattern();

    /// <summary>Resolves the <c>device</c> argument (id or name) to a machine.</summary>
    public static async Task<Machine> ResolveAsync(ToolCall call, DefenderClient client, CancellationToken cancellationToken)
    {
        var device = call.Arguments.RequiredString("device", 255, DevicePattern());
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
