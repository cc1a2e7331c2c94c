using System.Text.Json.Nodes;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.MachineActions;

/// <summary><c>get_investigation_package_uri</c>: the short-lived download link of a collected package.</summary>
public sealed class GetInvestigationPackageUriTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_investigation_package_uri",
        Title = "Get an investigation package link",
        Description = "Returns the short-lived download link of a completed collect_investigation_package action (the API allows 2 calls a minute); not_ready while it is still running. The link grants access to forensic data: share it only with the analyst.",
        Tier = ActionTier.Respond,
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        FanOut = false,
        ResultType = typeof(PackageUriOutput),
        Parameters = [MachineActionParameters.ActionId.Described("The collect action's id (a GUID)."), SharedParameters.OneTenant],
    };

    /// <inheritdoc />
    protected override async Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var id = call.Arguments.RequiredString(MachineActionParameters.ActionId);
        var tenant = SelectTenants(call).Tenants[0];
        var client = Services.Tenants.GetClient(tenant);

        // The link API answers 404 alike for an unknown action and for a collection not yet complete (defender-api
        // §3.6) and allows only 2 calls a minute: the action itself says which case this is, and a link is asked for
        // only once the collection succeeded, so asking too early costs none of the 2.
        var action = await ReadActionAsync(client, id, cancellationToken).ConfigureAwait(false);
        var status = Text.Clip(action.Status, 32);
        if (action.Type != MachineActionKind.CollectInvestigationPackage.Type)
        {
            throw ToolException.InvalidInput($"Action {id} is a {Text.Clip(action.Type, 64)} action, not an investigation package collection, so it has no package. Use the action_id collect_investigation_package returned.");
        }

        if (!MachineActionKind.IsFinal(action.Status))
        {
            throw new ToolException(ErrorCodes.NotReady, $"The investigation package is not ready yet: the collection is {status}. Wait for it with get_machine_action (wait_seconds) until it is Succeeded, then ask again.");
        }

        if (action.Status != "Succeeded")
        {
            throw new ToolException(ErrorCodes.NotFound, $"The collection ended as {status}: there is no package. Collect again with collect_investigation_package.");
        }

        try
        {
            var uri = await client.GetInvestigationPackageUriAsync(id, cancellationToken).ConfigureAwait(false);
            return ToJson(new PackageUriOutput(tenant.Key, id, uri));
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.NotFound)
        {
            throw new ToolException(ErrorCodes.NotFound, "The collection succeeded but Defender has no package link for it yet; ask again in a minute.");
        }
    }

    private static async Task<MachineAction> ReadActionAsync(DefenderClient client, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetMachineActionAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.NotFound)
        {
            throw new ToolException(ErrorCodes.NotFound, "No machine action with that id in this tenant. Use the action_id collect_investigation_package returned, or list_machine_actions with type CollectInvestigationPackage.");
        }
    }
}
