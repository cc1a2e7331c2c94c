using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Incidents;

/// <summary>The Incidents area's tools (incident triage), for <see cref="ToolCatalog"/>.</summary>
public static class IncidentsArea
{
    /// <summary>Each tool's definition and how to create it.</summary>
    public static IReadOnlyList<ToolEntry> Tools { get; } =
    [
        Tool(ListIncidentsTool.Spec, s => new ListIncidentsTool(s)),
        Tool(GetIncidentTool.Spec, s => new GetIncidentTool(s)),
        Tool(UpdateIncidentTool.Spec, s => new UpdateIncidentTool(s)),
        Tool(AddIncidentCommentTool.Spec, s => new AddIncidentCommentTool(s)),
    ];

    private static ToolEntry Tool(ToolDefinition definition, Func<ToolServices, DefenderTool> create) => new(definition, create);
}
