using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Takes <c>listChanged</c> out of the <c>prompts</c> and <c>resources</c> capabilities of the <c>initialize</c>
/// result: the SDK (2.4.0) declares it true whenever prompts or resources are registered as collections, but the
/// server's prompt and resource-template lists never change, so a client would wait for notifications that never come.
/// <c>tools.listChanged</c> is left as it is (a callers file reload does change tool lists).
/// </summary>
public static class StaticListCapabilities
{
    /// <summary>Outgoing filter: edits the initialize result before it is sent.</summary>
    public static McpMessageHandler Outgoing(McpMessageHandler next) => (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcResponse { Result: JsonObject result } &&
            result.ContainsKey("protocolVersion") && result.ContainsKey("serverInfo") &&
            result["capabilities"] is JsonObject capabilities)
        {
            foreach (var name in (ReadOnlySpan<string>)["prompts", "resources"])
            {
                if (capabilities[name] is JsonObject capability)
                {
                    capability.Remove("listChanged");
                }
            }
        }

        return next(context, cancellationToken);
    };
}
