namespace DefenderMcp.Mcp;

/// <summary>
/// One area's tools under the name <c>--toolsets</c> and <c>DEFENDER_MCP_TOOLSETS</c> use. A client pays in context for
/// every tool it is shown, so a deployment lists only the areas it needs.
/// </summary>
/// <param name="name">The toolset name, e.g. <c>hunting</c>.</param>
/// <param name="tools">
/// The area's tools, declared at first use: the command line needs only the names, a start only the areas it lists, and
/// the start's prefetch declares the read areas on another core (<see cref="Hosting.StartupPrefetch"/>).
/// </param>
/// <param name="readArea">True for the areas an investigation reads from, listed by default on a read-only server.</param>
public sealed class Toolset(string name, Func<IReadOnlyList<ToolEntry>> tools, bool readArea)
{
    private readonly Lazy<IReadOnlyList<ToolEntry>> _tools = new(tools);

    /// <summary>The toolset name, e.g. <c>hunting</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The area's tools, reads and writes; the tenants' tier still decides which writes are listed.</summary>
    public IReadOnlyList<ToolEntry> Tools => _tools.Value;

    /// <summary>True for the areas an investigation reads from, listed by default on a read-only server.</summary>
    public bool ReadArea { get; } = readArea;
}
