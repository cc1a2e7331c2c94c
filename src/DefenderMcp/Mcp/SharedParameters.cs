namespace DefenderMcp.Mcp;

/// <summary>Parameters many tools take, declared once; a tool may describe one its own way with <see cref="ToolParameter.Described"/>.</summary>
public static class SharedParameters
{
    /// <summary><c>tenant</c> of a read: one key, <c>"*"</c> or a list (fan-out).</summary>
    public static ToolParameter Tenants { get; } = ToolParameter.Tenant(allowFanOut: true);

    /// <summary><c>tenant</c> of a tool that works on one tenant only.</summary>
    public static ToolParameter OneTenant { get; } = ToolParameter.Tenant(allowFanOut: false);

    /// <summary><c>limit</c> of a list: 1 to 100, 25 by default.</summary>
    public static ToolParameter Limit { get; } = ToolParameter.Integer("limit", "How many (default 25, at most 100).", 1, 100, 25);
}
