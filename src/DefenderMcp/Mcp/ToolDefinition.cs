using System.Text.Json.Nodes;
using DefenderMcp.Configuration;

namespace DefenderMcp.Mcp;

/// <summary>The static description of a tool: name, text, annotations, tier and schemas.</summary>
public sealed record ToolDefinition
{
    /// <summary>snake_case verb_noun name.</summary>
    public required string Name { get; init; }

    /// <summary>Human-readable title.</summary>
    public required string Title { get; init; }

    /// <summary>What it does and when to use it.</summary>
    public required string Description { get; init; }

    /// <summary>The lowest tier that may call it.</summary>
    public ActionTier Tier { get; init; } = ActionTier.Read;

    /// <summary>MCP readOnly hint.</summary>
    public required bool ReadOnly { get; init; }

    /// <summary>MCP destructive hint.</summary>
    public required bool Destructive { get; init; }

    /// <summary>MCP idempotent hint.</summary>
    public required bool Idempotent { get; init; }

    /// <summary>MCP openWorld hint: true, since every tool talks to Defender.</summary>
    public bool OpenWorld { get; init; } = true;

    /// <summary>
    /// The parameters, each declared once (<see cref="ToolParameter"/>): the input schema is made from them and the
    /// tool reads its arguments through them.
    /// </summary>
    public IReadOnlyList<ToolParameter> Parameters { get; init; } = [];

    /// <summary>
    /// A fresh input schema, made from <see cref="Parameters"/> only: no tool can write one by hand, so what tools/list
    /// advertises is always what the arguments are checked against.
    /// </summary>
    public JsonObject InputSchema => Schema.ObjectOf(Parameters);

    /// <summary>The type of one tenant's result, from which the output schema is made.</summary>
    public required Type ResultType { get; init; }

    /// <summary>True when the tool accepts <c>"*"</c> or a list of tenants.</summary>
    public bool FanOut { get; init; } = true;

    /// <summary>
    /// True when a call on several tenants answers with the fan-out envelope, one entry per tenant; false for a tool
    /// that takes several tenants but answers once for all of them (schedule_hunt), so its output schema has no envelope.
    /// </summary>
    public bool AnswersPerTenant { get; init; } = true;
}
