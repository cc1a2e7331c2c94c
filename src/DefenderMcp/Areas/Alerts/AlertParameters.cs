using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Alerts;

/// <summary>The parameters the alert tools share.</summary>
public static class AlertParameters
{
    /// <summary><c>alert_id</c>: a Defender XDR alert id (letters, digits, underscores and hyphens).</summary>
    public static ToolParameter AlertId { get; } = ToolParameter.String("alert_id", "The alert id.", 128, "^[A-Za-z0-9_-]{1,128}$").AsRequired();
}
