using System.Text.Json.Nodes;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Indicators;

/// <summary><c>list_indicators</c>: the tenant's custom indicators.</summary>
public sealed class ListIndicatorsTool(ToolServices services) : DefenderTool(Spec, services)
{
    // A tenant holds at most 15,000 active indicators (defender-api.md §3.9).
    private static readonly ToolParameter Offset = ToolParameter.Integer("offset", "Indicators to pass over first, to page (next_offset of the previous page).", 0, 15_000, 0);

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "list_indicators",
        Title = "List indicators",
        Description = "Lists Defender for Endpoint custom indicators (blocked or allowed hashes, IPs, URLs, domains, certificates), oldest first; page with offset and next_offset.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(IndicatorListOutput),
        Parameters = [SharedParameters.Limit, Offset, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var limit = call.Arguments.Integer(SharedParameters.Limit);
        var offset = call.Arguments.Integer(Offset);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                // One more than the page, to know whether another follows (the service gives no count).
                var listed = await client.ListIndicatorsAsync(limit + 1, offset, ct).ConfigureAwait(false);
                var more = listed.Count > limit;
                var items = more ? listed.Take(limit).ToList() : listed;
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
                return ToJson(new IndicatorListOutput(tenant.Key, shaped.Count, shaped, offset, more ? offset + shaped.Count : null));
            },
            cancellationToken);
    }
}
