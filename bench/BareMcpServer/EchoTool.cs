using System.ComponentModel;
using ModelContextProtocol.Server;

/// <summary>The cold-start baseline's one tool.</summary>
[McpServerToolType]
internal sealed class EchoTool
{
    [McpServerTool(Name = "echo")]
    [Description("Echoes its text.")]
    public static string Echo([Description("Text to echo.")] string text) => text;
}
