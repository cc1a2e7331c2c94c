using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary><c>list_security_recommendations</c>: what to update, upgrade, uninstall or configure, tenant-wide or on one device.</summary>
public sealed class ListSecurityRecommendationsTool(ToolServices services) : DeviceOrTenantListTool<SecurityRecommendation, RecommendationOutput>(Spec, services)
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
        Parameters = ParametersFor("recommendations", "recommendations"),
    };

    /// <inheritdoc />
    protected override Task<IReadOnlyList<SecurityRecommendation>> ListAsync(DefenderClient client, Machine? machine, CancellationToken cancellationToken) =>
        machine is null
            ? client.ListRecommendationsAsync(VulnerabilityArguments.MaxScanned, cancellationToken)
            : client.ListMachineRecommendationsAsync(machine.Id, VulnerabilityArguments.MaxScanned, cancellationToken);

    /// <inheritdoc />
    protected override IOrderedEnumerable<SecurityRecommendation> Order(IEnumerable<SecurityRecommendation> items) =>
        items.OrderByDescending(r => r.SeverityScore ?? 0).ThenByDescending(r => r.ExposedMachines ?? 0).ThenBy(r => r.Id, StringComparer.Ordinal);

    /// <inheritdoc />
    protected override RecommendationOutput Show(SecurityRecommendation item) => RecommendationOutput.From(item);

    /// <inheritdoc />
    protected override object Result(string tenant, string? deviceId, string? deviceName, IReadOnlyList<SecurityRecommendation> listed, IReadOnlyList<RecommendationOutput> shown, bool truncated) =>
        new RecommendationListOutput(tenant, deviceId, deviceName, shown.Count, shown, truncated);
}
