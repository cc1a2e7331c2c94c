using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.MachineActions;

/// <summary>A device response action (isolate, release, restrict, scan, collect, quarantine, offboard).</summary>
public sealed partial class MachineActionTool(ToolServices services, MachineActionSpec spec) : WriteTool(Define(spec), services)
{
    [GeneratedRegex("^[0-9a-fA-F]{40}$")]
    private static partial Regex Sha1Pattern();

    /// <summary>The definition of one device action tool.</summary>
    public static ToolDefinition Define(MachineActionSpec spec)
    {
        var parameters = new List<(string, JsonObject)> { ("device", DeviceArguments.DeviceSchema), ("devices", DeviceTargets.DevicesSchema), ("comment", DeviceArguments.CommentSchema) };
        var required = new List<string> { "comment" };
        if (spec.Kind.Choice is { } option)
        {
            parameters.Add((spec.ChoiceParameter!, Schema.Enum($"One of {string.Join(", ", option.Values)} (default {option.Default}).", [.. option.Values])));
        }

        if (spec.Kind.NeedsSha1)
        {
            parameters.Add(("sha1", Schema.String("The file's SHA-1 (40 hex characters).", 40, "^[0-9a-fA-F]{40}$")));
            required.Add("sha1");
        }

        parameters.AddRange(CommonParameters);
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
            InputSchema = Schema.Object(required, [.. parameters]),
        };
    }

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var kind = spec.Kind;
        var comment = call.Arguments.RequiredString("comment", MachineActionKind.MaxCommentLength);
        var label = spec.Title;
        string? choice = null;
        if (kind.Choice is { } option)
        {
            choice = call.Arguments.OptionalEnum(spec.ChoiceParameter!, option.Values) ?? option.Default;
            label += $" ({choice})";
        }

        string? sha1 = null;
        if (kind.NeedsSha1)
        {
            sha1 = call.Arguments.RequiredString("sha1", 40, Sha1Pattern()).ToLowerInvariant();
            label += $" (SHA-1 {sha1})";
        }

        if (kind == MachineActionKind.Offboard && !tenant.Policy.AllowOffboard)
        {
            call.PolicyDecision = "denied_offboard";
            throw new ToolException(ErrorCodes.PolicyDenied, $"Offboarding is not allowed for tenant '{tenant.Key}': its policy needs \"allow_offboard\": true.");
        }

        WritePlan PlanFor(Machine machine) =>
            WritePlan.Of(label, machine.ComputerDnsName ?? machine.Id, machine.Id, comment, client.RequestMachineAction(machine.Id, kind, comment, choice, sha1), MachineActionResults.Shape, machine.Id, kind.Type);

        if (DeviceTargets.IsBulk(call))
        {
            var (machines, refused) = await DeviceTargets.ResolveAsync(call, tenant, client, spec.Protected, cancellationToken).ConfigureAwait(false);
            return WritePlan.Bulk(label, comment, [.. machines.Select(PlanFor)], refused);
        }

        var machine = await DeviceArguments.ResolveAsync(call, client, cancellationToken).ConfigureAwait(false);
        if (spec.Protected)
        {
            RefuseProtected(call, tenant, machine);
        }

        return PlanFor(machine);
    }
}
