using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Incidents;

/// <summary>The parameters the incident tools share.</summary>
public static class IncidentParameters
{
    /// <summary><c>incident_id</c>: Defender's numeric incident id.</summary>
    public static ToolParameter IncidentId { get; } = ToolParameter.String("incident_id", "The numeric incident id.", 20, "^[0-9]{1,20}$").AsRequired();
}
