using System.Text.Json.Nodes;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary><c>list_security_recommendations</c>: what to update, upgrade, uninstall or configure, tenant-wide or on one device.</summary>
public sealed class ListSecurityRecommendationsTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "list_security_recommendations",
        Title = "List security recommendations",
        Description = "Lists Defender Vulnerability Management security recommendations of the tenant or of one device: the remediation (update, upgrade, uninstall, configuration change), " +
            "the target version, weaknesses, exposed devices and exposure impact; highest severity first.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(RecommendationListOutput),
        InputSchema = Schema.Object(
            [],
            ("device", VulnerabilityArguments.DeviceSchema("Only this device's recommendations: device id (40 hex characters) or computer DNS name.")),
            ("limit", VulnerabilityArguments.LimitSchema("recommendations")),
            ("tenant", Schema.Tenant(allowFanOut: true))),
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var device = VulnerabilityArguments.Device(call.Arguments);
        var limit = VulnerabilityArguments.Limit(call.Arguments);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                Machine? machine = device is null ? null : await DeviceArguments.ResolveAsync(call, client, ct).ConfigureAwait(false);
                var recommendations = machine is null
                    ? await client.ListRecommendationsAsync(VulnerabilityArguments.MaxScanned, ct).ConfigureAwait(false)
                    : await client.ListMachineRecommendationsAsync(machine.Id, VulnerabilityArguments.MaxScanned, ct).ConfigureAwait(false);
                var ordered = recommendations.OrderByDescending(r => r.SeverityScore ?? 0).ThenByDescending(r => r.ExposedMachines ?? 0).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
                var shown = ordered.Take(limit).Select(RecommendationOutput.From).ToList();
                call.Count("items", shown.Count);
                return ToJson(new RecommendationListOutput(tenant.Key, machine?.Id, Text.Clip(machine?.ComputerDnsName, 255), shown.Count, shown, ordered.Count > limit));
            },
            cancellationToken);
    }
}
