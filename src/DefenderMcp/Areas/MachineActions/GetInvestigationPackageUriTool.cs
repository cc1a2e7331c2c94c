using System.Text.Json.Nodes;
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
        Description = "Returns the short-lived download link of a completed collect_investigation_package action (the API allows 2 calls a minute). The link grants access to forensic data: share it only with the analyst.",
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
        var uri = await Services.Tenants.GetClient(tenant).GetInvestigationPackageUriAsync(id, cancellationToken).ConfigureAwait(false);
        return ToJson(new PackageUriOutput(tenant.Key, id, uri));
    }
}
