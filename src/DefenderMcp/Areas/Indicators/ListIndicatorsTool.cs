using System.Text.Json.Nodes;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Indicators;

/// <summary><c>list_indicators</c>: the tenant's custom indicators.</summary>
public sealed class ListIndicatorsTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "list_indicators",
        Title = "List indicators",
        Description = "Lists Defender for Endpoint custom indicators (blocked or allowed hashes, IPs, URLs, domains, certificates).",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(IndicatorListOutput),
        Parameters = [SharedParameters.Limit, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var limit = call.Arguments.Integer(SharedParameters.Limit);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var items = await client.ListIndicatorsAsync(limit, ct).ConfigureAwait(false);
                call.Count("items", items.Count);
                var shaped = items.Select(i => new IndicatorOutput(
                    i.Id,
                    Text.Clip(i.IndicatorValue, 2048),
                    Text.Clip(i.IndicatorType, 64),
                    Text.Clip(i.Action, 64),
                    Text.Clip(i.Severity, 64),
                    Text.Clip(i.Title, 1000),
                    Text.Clip(i.Description, 1000),
                    i.ExpirationTime,
                    i.CreationTime,
                    Text.Clip(i.CreatedBy, 256),
                    i.GenerateAlert)).ToList();
                return ToJson(new IndicatorListOutput(tenant.Key, shaped.Count, shaped));
            },
            cancellationToken);
    }
}
