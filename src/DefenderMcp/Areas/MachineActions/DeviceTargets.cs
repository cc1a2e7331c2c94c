using DefenderMcp.Areas.Devices;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.MachineActions;

/// <summary>
/// The devices a device action is for: exactly one of <c>device</c> (one id or name) or <c>devices</c> (1 to 25, acted
/// on together under one confirmation). Devices that cannot be acted on are left out and named before anyone confirms.
/// </summary>
public static class DeviceTargets
{
    /// <summary>The most devices one call may name.</summary>
    public const int MaxDevices = 25;

    /// <summary><c>devices</c>: each item is a <see cref="DeviceArguments.Device"/>.</summary>
    public static ToolParameter Devices { get; } = ToolParameter.StringList(
        "devices",
        $"Instead of device: 1 to {MaxDevices} device ids or names to act on together. One confirmation names them all; protected, unknown or repeated devices are left out and named; each device is sent (and counted in the hourly budget) on its own, and one failing never stops the others.",
        MaxDevices,
        DeviceArguments.Device.MaxLength,
        DeviceArguments.Device.Pattern);

    /// <summary>True when the call names <c>devices</c>; refuses a call that names both or neither.</summary>
    public static bool IsBulk(ToolCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var single = call.Arguments.Has(DeviceArguments.Device.Name);
        var bulk = call.Arguments.Has(Devices.Name);
        return (single, bulk) switch
        {
            (true, true) => throw ToolException.InvalidInput("Give either 'device' (one device) or 'devices' (a list), not both."),
            (false, false) => throw ToolException.InvalidInput("'device' (one device id or name) or 'devices' (1 to 25 of them) is required."),
            _ => bulk,
        };
    }

    /// <summary>
    /// Resolves <c>devices</c> one by one: the machines to act on, and the names left out (unknown, repeated, or
    /// protected when <paramref name="refuseProtected"/>). Throws when none is left, so nothing is confirmed or sent.
    /// </summary>
    public static async Task<(IReadOnlyList<Machine> Machines, IReadOnlyList<RefusedTarget> Refused)> ResolveAsync(
        ToolCall call, TenantSettings tenant, DefenderClient client, bool refuseProtected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(client);
        var names = call.Arguments.OptionalStringList(Devices)!;
        var machines = new List<Machine>(names.Count);
        var refused = new List<RefusedTarget>();
        foreach (var name in names)
        {
            Machine machine;
            try
            {
                // The same forms as `device`: an id, a DNS name, or a short host name only one device has.
                machine = await DeviceArguments.ResolveAsync(name, client, cancellationToken).ConfigureAwait(false);
            }
            catch (ToolException ex) when (ex.Code is ErrorCodes.NotFound or ErrorCodes.InvalidInput)
            {
                refused.Add(new(name, null, ex.Code == ErrorCodes.NotFound ? "no device with that id or name in this tenant" : ex.Message));
                continue;
            }

            var label = machine.ComputerDnsName ?? name;
            if (machines.Any(m => m.Id == machine.Id))
            {
                refused.Add(new(label, machine.Id, "named more than once; acted on once"));
            }
            else if (refuseProtected && ProtectedAssets.Match(tenant.Policy, machine.Id, machine.ComputerDnsName, machine.MachineTags) is { } entry)
            {
                refused.Add(new(label, machine.Id, $"protected by the tenant policy ('{entry}')"));
            }
            else
            {
                machines.Add(machine);
            }
        }

        if (machines.Count == 0)
        {
            var anyProtected = refused.Any(r => r.Reason.StartsWith("protected", StringComparison.Ordinal));
            call.PolicyDecision = anyProtected ? "denied_protected" : null;
            throw new ToolException(
                anyProtected ? ErrorCodes.PolicyDenied : ErrorCodes.NotFound,
                $"No device is left to act on: {string.Join("; ", refused.Select(r => $"{r.Target}: {r.Reason}"))}. Nothing was sent.");
        }

        return (machines, refused);
    }
}
