using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
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
        var parameters = new List<(string, JsonObject)> { ("device", DeviceArguments.DeviceSchema), ("comment", DeviceArguments.CommentSchema) };
        var required = new List<string> { "device", "comment" };
        if (spec.Option is { } option)
        {
            parameters.Add((option.Name, Schema.Enum($"One of {string.Join(", ", option.Values)} (default {option.Default}).", option.Values)));
        }

        if (spec.NeedsSha1)
        {
            parameters.Add(("sha1", Schema.String("The file's SHA-1 (40 hex characters).", 40, "^[0-9a-fA-F]{40}$")));
            required.Add("sha1");
        }

        parameters.AddRange(CommonParameters);
        return new ToolDefinition
        {
            Name = spec.Tool,
            Title = spec.Title,
            Description = spec.Description + " Use dry_run to see the exact request first.",
            Tier = ActionTier.Respond,
            ReadOnly = false,
            Destructive = spec.Destructive,
            Idempotent = false,
            FanOut = false,
            ResultType = typeof(WriteResultOutput),
            InputSchema = Schema.Object(required, [.. parameters]),
        };
    }

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var comment = call.Arguments.RequiredString("comment", 1000);
        var body = new JsonObject { ["Comment"] = comment };
        var label = spec.Title;
        if (spec.Option is { } option)
        {
            var value = call.Arguments.OptionalEnum(option.Name, option.Values) ?? option.Default;
            body[option.Field] = value;
            label += $" ({value})";
        }

        if (spec.NeedsSha1)
        {
            body["Sha1"] = call.Arguments.RequiredString("sha1", 40, Sha1Pattern()).ToLowerInvariant();
            label += $" (SHA-1 {body["Sha1"]})";
        }

        if (spec.Type == "Offboard" && !tenant.Policy.AllowOffboard)
        {
            call.PolicyDecision = "denied_offboard";
            throw new ToolException(ErrorCodes.PolicyDenied, $"Offboarding is not allowed for tenant '{tenant.Key}': its policy needs \"allow_offboard\": true.");
        }

        var machine = await DeviceArguments.ResolveAsync(call, client, cancellationToken).ConfigureAwait(false);
        if (spec.Protected)
        {
            RefuseProtected(call, tenant, machine);
        }

        return new WritePlan(label, machine.ComputerDnsName ?? machine.Id, machine.Id, comment, client.MachineActionRequest(machine.Id, spec.Path, body, spec.Role), machine.Id, spec.Type);
    }
}
