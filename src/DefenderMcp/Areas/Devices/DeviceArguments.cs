using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Devices;

/// <summary>The <c>device</c> and <c>comment</c> parameters shared by device tools.</summary>
public static class DeviceArguments
{
    /// <summary><c>device</c> where a tool may go without one (a filter).</summary>
    public static ToolParameter OptionalDevice { get; } = ToolParameter.String("device", "Device id, DNS name or unique short host name, e.g. ctso-fin-lt-011.", 255, "^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$");

    /// <summary><c>device</c>: one device id or computer DNS name.</summary>
    public static ToolParameter Device { get; } = OptionalDevice.AsRequired();

    /// <summary><c>comment</c>: why, recorded with a device action.</summary>
    public static ToolParameter Comment { get; } = ToolParameter.String("comment", "Why: recorded with the action in Defender and in the audit trail.", MachineActionKind.MaxCommentLength).AsRequired();

    /// <summary>How many devices an ambiguous short host name lists in its error.</summary>
    public const int MaxCandidates = 10;

    /// <summary>
    /// Resolves the <c>device</c> argument to a machine: an id or a computer DNS name as the API takes them, else a
    /// short host name (<c>ws-fin-07</c> for <c>ws-fin-07.contoso.local</c>) when exactly one device has it. Two or
    /// more are <c>invalid_input</c> naming them; none is <c>not_found</c>. The preview of an action shows the full name.
    /// </summary>
    public static async Task<Machine> ResolveAsync(ToolCall call, DefenderClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        return await ResolveAsync(call.Arguments.RequiredString(Device), client, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resolves one device id, DNS name or unique short host name (as <see cref="ResolveAsync(ToolCall, DefenderClient, CancellationToken)"/>).</summary>
    public static async Task<Machine> ResolveAsync(string device, DefenderClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!DefenderClient.IsPathId(device))
        {
            // The declared pattern admits "a..b"; the client refuses it, but knows no parameter or form to name.
            throw ToolException.InvalidInput(
                "'device' must be a device id (40 hex characters), a computer DNS name such as ctso-fin-lt-011.contoso.com, " +
                "or a short host name only one device has, such as ctso-fin-lt-011; a name has no empty label ('..').");
        }

        try
        {
            return await client.GetMachineAsync(device, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.NotFound && DefenderClient.IsHostName(device))
        {
            var found = await client.FindMachinesByHostNameAsync(device, MaxCandidates + 1, cancellationToken).ConfigureAwait(false);
            return found.Count switch
            {
                1 => found[0],
                0 => throw NotFound(device, client),
                _ => throw ToolException.InvalidInput(
                    $"'{device}' is the host name of {(found.Count > MaxCandidates ? $"more than {MaxCandidates}" : found.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} devices: " +
                    $"{string.Join(", ", found.Take(MaxCandidates).Select(m => $"{Text.Clip(m.ComputerDnsName, 255)} ({Text.Clip(m.Id, 64)})"))}. Give the full computer DNS name or the device id."),
            };
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.NotFound)
        {
            throw NotFound(device, client);
        }
    }

    // As every read's not_found: the object, the id it was given (the parameter's pattern admits no quote or space),
    // the tenant and the tool that lists devices.
    private static ToolException NotFound(string device, DefenderClient client) =>
        new(ErrorCodes.NotFound, $"No device with id or name '{Text.Clip(device, 255)}' in tenant '{client.Options.TenantKey ?? client.Options.TenantId}'. list_devices shows the devices and their ids (name_prefix finds a name).");
}
