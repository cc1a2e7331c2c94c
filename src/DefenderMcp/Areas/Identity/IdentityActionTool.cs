using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.Identity;

/// <summary>An identity response action through Graph (revoke sessions, disable, enable, confirm compromised, dismiss risk).</summary>
public sealed class IdentityActionTool(ToolServices services, IdentityActionSpec spec) : WriteTool(Define(spec), services)
{
    /// <summary>The definition of one identity action tool.</summary>
    public static ToolDefinition Define(IdentityActionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ToolDefinition
        {
            Name = spec.Tool,
            Title = spec.Title,
            Description = spec.Description + " Refused for protected_users; confirmed by a person; use dry_run to see the exact request first.",
            Tier = ActionTier.Respond,
            ReadOnly = false,
            Destructive = spec.Destructive,
            Idempotent = true,
            FanOut = false,
            ResultType = typeof(WriteResult),
            Parameters = [UserArguments.User, .. WriteParameters],
        };
    }

    /// <inheritdoc />
    protected override string CheckAfterFailure => "the user in the Entra admin center shows whether it did; the action is idempotent, so calling it again is safe";

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var user = await UserArguments.ResolveUnprotectedAsync(call, tenant, client, cancellationToken).ConfigureAwait(false);
        var request = spec.Request(client, user.Id);
        return WritePlan.Of(
            spec.Title,
            Text.Clip(user.UserPrincipalName, 320) ?? user.Id,
            user.Id,
            null,
            request,
            (_, sent) => sent with { Changes = new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { [spec.Change.Field] = spec.Change.Value.DeepClone() } });
    }
}
