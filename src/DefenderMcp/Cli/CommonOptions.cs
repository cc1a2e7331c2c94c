using System.CommandLine;

namespace DefenderMcp.Cli;

/// <summary>Options shared by the commands that build a server configuration.</summary>
public static class CommonOptions
{
    /// <summary><c>--demo</c>: run against the built-in emulator.</summary>
    public static Option<bool> Demo { get; } = new("--demo") { Description = "Run against the built-in emulator with two sample tenants (no Azure tenant needed)." };

    /// <summary><c>--read-only</c>: force the read tier for every tenant.</summary>
    public static Option<bool> ReadOnly { get; } = new("--read-only") { Description = "Force the read tier for every tenant: no response actions." };

    /// <summary><c>--toolsets</c>: list only the named areas' tools (overrides DEFENDER_MCP_TOOLSETS).</summary>
    public static Option<string?> Toolsets { get; } = new("--toolsets")
    {
        Description = $"Comma-separated toolsets to list: {string.Join(", ", Mcp.ToolCatalog.ToolsetNames)}, or all (default: DEFENDER_MCP_TOOLSETS, else the read areas on a read-only server; see docs/tools.md).",
    };
}
