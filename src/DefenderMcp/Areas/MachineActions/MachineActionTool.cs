using DefenderMcp.Areas.Devices;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.MachineActions;

/// <summary>A device response action (isolate, release, restrict, scan, collect, quarantine, offboard).</summary>
public sealed class MachineActionTool(ToolServices services, MachineActionSpec spec) : WriteTool(Define(spec), services)
{
    private static readonly ToolParameter Sha1 = ToolParameter.String("sha1", "The file's SHA-1 (40 hex characters).", 40, "^[0-9a-fA-F]{40}$").AsRequired();

    /// <summary>The definition of one device action tool.</summary>
    public static ToolDefinition Define(MachineActionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parameters = new List<ToolParameter> { DeviceArguments.OptionalDevice, DeviceTargets.Devices, DeviceArguments.Comment };
        if (ChoiceOf(spec) is { } choice)
        {
            parameters.Add(choice);
        }

        if (spec.Kind.NeedsSha1)
        {
            parameters.Add(Sha1);
        }

        parameters.AddRange(WriteParameters);
        return new ToolDefinition
        {
            Name = spec.Tool,
            Title = spec.Title,
            Description = spec.Description + " Takes device, or devices (up to 25) for one confirmation. Use dry_run to see the exact request first.",
            Tier = ActionTier.Respond,
            ReadOnly = false,
            Destructive = spec.Destructive,
            Idempotent = false,
            FanOut = false,
            ResultType = typeof(BulkWriteResult),
            Parameters = parameters,
        };
    }

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var kind = spec.Kind;
        var comment = CommentAttribution.Given(call.Arguments.RequiredString(DeviceArguments.Comment), call.CommentCaller, MachineActionKind.MaxCommentLength);
        var label = spec.Title;
        string? choice = null;
        if (kind.Choice is { } option)
        {
            choice = call.Arguments.OptionalEnum(ChoiceOf(spec)!) ?? option.Default;
            label += $" ({choice})";
        }

        string? sha1 = null;
        if (kind.NeedsSha1)
        {
            sha1 = call.Arguments.RequiredString(Sha1).ToLowerInvariant();
            label += $" (SHA-1 {sha1})";
        }

        if (kind == MachineActionKind.Offboard && !tenant.Policy.AllowOffboard)
        {
            call.PolicyDecision = "denied_offboard";
            throw new ToolException(ErrorCodes.PolicyDenied, $"Offboarding is not allowed for tenant '{tenant.Key}': its policy needs \"allow_offboard\": true.");
        }

        // Isolate, release, restrict and remove restriction say what the device is now (one bounded lookup that never
        // blocks); the request is built first, so invalid input is refused before that lookup.
        async Task<IReadOnlyList<WritePlan>> PlansFor(IReadOnlyList<Machine> machines)
        {
            var requests = machines.Select(m => client.RequestMachineAction(m.Id, kind, comment, choice, sha1)).ToList();
            var states = await DeviceStateNote.DescribeAsync(client, machines, kind, cancellationToken).ConfigureAwait(false);
            return [.. machines.Select((m, i) => WritePlan.Of(label, m.ComputerDnsName ?? m.Id, m.Id, comment, requests[i], MachineActionResults.Shape, m.Id, kind.Type, states.GetValueOrDefault(m.Id)))];
        }

        if (DeviceTargets.IsBulk(call))
        {
            var (machines, refused) = await DeviceTargets.ResolveAsync(call, tenant, client, spec.Protected, cancellationToken).ConfigureAwait(false);
            return WritePlan.Bulk(label, comment, await PlansFor(machines).ConfigureAwait(false), refused);
        }

        var machine = await DeviceArguments.ResolveAsync(call, client, cancellationToken).ConfigureAwait(false);
        if (spec.Protected)
        {
            RefuseProtected(call, tenant, machine);
        }

        return (await PlansFor([machine]).ConfigureAwait(false))[0];
    }

    // The kind's option (isolation or scan type) under the tool's parameter name; made the same way for the schema
    // and for reading the argument.
    private static ToolParameter? ChoiceOf(MachineActionSpec spec) => spec.Kind.Choice is { } option
        ? ToolParameter.Enum(spec.ChoiceParameter!, $"One of {string.Join(", ", option.Values)} (default {option.Default}).", option.Values)
        : null;
}
