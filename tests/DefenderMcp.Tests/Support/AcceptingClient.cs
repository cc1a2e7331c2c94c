using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Support;

/// <summary>An SDK client that approves every confirmation and keeps each message it was asked, to assert on.</summary>
public static class AcceptingClient
{
    /// <summary>Client options whose elicitation handler records the message in <paramref name="messages"/> and accepts.</summary>
    public static McpClientOptions Options(List<string> messages) => new()
    {
        Handlers = new McpClientHandlers
        {
            ElicitationHandler = (request, _) =>
            {
                lock (messages)
                {
                    messages.Add(request?.Message ?? string.Empty);
                }

                return ValueTask.FromResult(new ElicitResult { Action = "accept", Content = new Dictionary<string, JsonElement> { ["confirm"] = JsonSerializer.SerializeToElement(true) } });
            },
        },
    };
}
