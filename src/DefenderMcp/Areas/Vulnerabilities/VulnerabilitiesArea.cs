using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>The Vulnerabilities area's tools (Defender Vulnerability Management and Secure Score reads), for <see cref="ToolCatalog"/>.</summary>
public static class VulnerabilitiesArea
{
    /// <summary>Each tool's definition and how to create it.</summary>
    public static IReadOnlyList<ToolEntry> Tools { get; } =
    [
        Tool(ListVulnerabilitiesTool.Spec, s => new ListVulnerabilitiesTool(s)),
        Tool(GetVulnerabilityTool.Spec, s => new GetVulnerabilityTool(s)),
        Tool(ListSoftwareTool.Spec, s => new ListSoftwareTool(s)),
        Tool(ListMissingUpdatesTool.Spec, s => new ListMissingUpdatesTool(s)),
        Tool(ListSecurityRecommendationsTool.Spec, s => new ListSecurityRecommendationsTool(s)),
        Tool(GetExposureScoreTool.Spec, s => new GetExposureScoreTool(s)),
        Tool(GetSecureScoreTool.Spec, s => new GetSecureScoreTool(s)),
    ];

    private static ToolEntry Tool(ToolDefinition definition, Func<ToolServices, DefenderTool> create) => new(definition, create);
}
