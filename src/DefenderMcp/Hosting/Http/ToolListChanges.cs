using ModelContextProtocol.Server;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// The server's tool collection, which can also say "the tool list changed" when no tool was added or removed: a
/// reload of the callers file changes which tools each caller sees (<see cref="Mcp.CallerToolListFilter"/>), and a
/// client that cached tools/list would otherwise keep offering tools it lost and miss those it gained. Every live
/// stateful session listens to this collection's <see cref="McpServerPrimitiveCollection{T}.Changed"/> event (the SDK
/// subscribes when a session starts and unsubscribes when it ends) and sends <c>notifications/tools/list_changed</c>
/// the way its protocol version asks.
/// </summary>
public sealed class ToolListChanges : McpServerPrimitiveCollection<McpServerTool>
{
    /// <summary>
    /// Becomes the server's tool collection, with the tools registered so far, and declares <c>tools.listChanged</c>
    /// (the SDK declares it whenever it has tools; this is what keeps the promise, so it says so itself).
    /// Runs after the SDK has gathered the registered tools or before (then the SDK adds them here): either way one
    /// collection holds them all, and every session reads this same instance.
    /// </summary>
    public void Adopt(McpServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!ReferenceEquals(options.ToolCollection, this))
        {
            foreach (var tool in options.ToolCollection ?? [])
            {
                TryAdd(tool);
            }

            options.ToolCollection = this;
        }

        options.Capabilities ??= new();
        options.Capabilities.Tools ??= new();
        options.Capabilities.Tools.ListChanged = true;
    }

    /// <summary>Tells every live session that its tools/list may differ now.</summary>
    public void Announce() => RaiseChanged();
}
