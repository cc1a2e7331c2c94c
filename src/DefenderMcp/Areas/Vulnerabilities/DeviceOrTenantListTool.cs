using System.Text.Json.Nodes;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>
/// A Vulnerability Management list of the tenant or of one device (software, security recommendations). These lists
/// document no <c>$filter</c> or <c>$orderby</c>, so each is read whole (up to <see cref="VulnerabilityArguments.MaxScanned"/>),
/// ordered here and cut to <c>limit</c>; a subclass says which lists, in which order, and how an item is shown.
/// Its parameters are <c>device</c>, <c>limit</c> and <c>tenant</c>.
/// </summary>
public abstract class DeviceOrTenantListTool<TItem, TShown>(ToolDefinition definition, ToolServices services) : DefenderTool(definition, services)
{
    private readonly ToolParameter _device = definition.Parameters.Single(p => p.Name == "device");
    private readonly ToolParameter _limit = definition.Parameters.Single(p => p.Name == "limit");

    /// <summary>The parameters of such a list: the device's <paramref name="what"/>, counted as <paramref name="items"/>.</summary>
    protected static IReadOnlyList<ToolParameter> ParametersFor(string what, string items) =>
    [
        VulnerabilityArguments.Device($"Only this device's {what}: device id (40 hex characters) or computer DNS name."),
        VulnerabilityArguments.Limit(items),
        SharedParameters.Tenants,
    ];

    /// <summary>The whole list of the tenant, or of <paramref name="machine"/> when one is given.</summary>
    protected abstract Task<IReadOnlyList<TItem>> ListAsync(DefenderClient client, Machine? machine, CancellationToken cancellationToken);

    /// <summary>The order a model reads them in, most pressing first.</summary>
    protected abstract IOrderedEnumerable<TItem> Order(IEnumerable<TItem> items);

    /// <summary>One item as the result shows it.</summary>
    protected abstract TShown Show(TItem item);

    /// <summary>The tenant's result: the device (null for the tenant), every item listed, the items shown, and whether more were left out.</summary>
    protected abstract object Result(string tenant, string? deviceId, string? deviceName, IReadOnlyList<TItem> listed, IReadOnlyList<TShown> shown, bool truncated);

    /// <inheritdoc />
    protected sealed override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var device = call.Arguments.OptionalString(_device);
        var limit = call.Arguments.Integer(_limit);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                Machine? machine = device is null ? null : await DeviceArguments.ResolveAsync(call, client, ct).ConfigureAwait(false);
                var ordered = Order(await ListAsync(client, machine, ct).ConfigureAwait(false)).ToList();
                var shown = ordered.Take(limit).Select(Show).ToList();
                call.Count("items", shown.Count);
                return ToJson(Result(tenant.Key, machine?.Id, Text.Clip(machine?.ComputerDnsName, 255), ordered, shown, ordered.Count > limit));
            },
            cancellationToken);
    }
}
