using System.Diagnostics;
using System.Text.Json.Nodes;
using DefenderMcp.Client;
using DefenderMcp.Mcp;
using ModelContextProtocol;

namespace DefenderMcp.Areas.MachineActions;

/// <summary><c>get_machine_action</c>: one action; optionally waits for it to finish, sending progress notifications.</summary>
public sealed class GetMachineActionTool(ToolServices services) : DefenderTool(Spec, services)
{
    private static readonly ToolParameter WaitSeconds = ToolParameter.Integer("wait_seconds", "Wait up to this long for a final status (0 = no wait, at most 600).", 0, 600, 0);

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_machine_action",
        Title = "Get a machine action",
        Description = "Gets one response action by id. With wait_seconds, polls until it reaches a final status (Succeeded, Failed, TimeOut, Cancelled) or the wait runs out, sending MCP progress notifications.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        FanOut = false,
        ResultType = typeof(MachineActionDetailOutput),
        Parameters = [MachineActionParameters.ActionId, WaitSeconds, SharedParameters.OneTenant],
    };

    /// <inheritdoc />
    protected override TargetLookup? LookedUp { get; } = new("machine action", MachineActionParameters.ActionId, "list_machine_actions");

    /// <inheritdoc />
    protected override async Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var id = call.Arguments.RequiredString(MachineActionParameters.ActionId);
        var wait = TimeSpan.FromSeconds(call.Arguments.Integer(WaitSeconds));
        var tenant = SelectTenants(call).Tenants[0];
        var client = Services.Tenants.GetClient(tenant);
        var watch = Stopwatch.StartNew();
        var token = call.Request.Params?.ProgressToken;
        var step = 0;
        while (true)
        {
            MachineActionOutput action;
            // Each look while waiting is bounded on its own: the wait is what the caller asked for, not an upstream delay.
            using (CallBound.Begin())
            {
                action = MachineActionOutput.From(await client.GetMachineActionAsync(id, cancellationToken).ConfigureAwait(false));
            }

            var final = MachineActionKind.IsFinal(action.Status);
            if (token is { } progressToken)
            {
                await call.Request.Server.NotifyProgressAsync(progressToken, new ProgressNotificationValue { Progress = ++step, Message = $"{action.Type} is {action.Status}" }, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            if (final || watch.Elapsed + Services.Settings.ActionPollInterval > wait)
            {
                return ToJson(new MachineActionDetailOutput(tenant.Key, action, final, Math.Round(watch.Elapsed.TotalSeconds, 1)));
            }

            await Task.Delay(Services.Settings.ActionPollInterval, Services.Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
