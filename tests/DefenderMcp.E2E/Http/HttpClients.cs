using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.E2E.Http;

/// <summary>Clients for the HTTP tests: the C# SDK over Streamable HTTP, and raw requests for the HTTP-level checks.</summary>
public static class HttpClients
{
    public const string InitializeBody =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw-e2e","version":"1.0"}}}""";

    /// <summary>The C# SDK client over Streamable HTTP with a bearer key.</summary>
    public static Task<McpClient> ConnectAsync(Uri url, string? key, CancellationToken ct, McpClientOptions? options = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = url,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = key is null ? null : new Dictionary<string, string> { ["Authorization"] = "Bearer " + key },
        });
        return McpClient.CreateAsync(transport, options, cancellationToken: ct);
    }

    /// <summary>Client options that answer every elicitation with <paramref name="action"/>.</summary>
    public static McpClientOptions Eliciting(string action, List<string>? messages = null) => new()
    {
        ClientInfo = new Implementation { Name = "e2e-http", Version = "1.0" },
        Handlers = new McpClientHandlers
        {
            ElicitationHandler = (request, _) =>
            {
                lock (messages ?? [])
                {
                    messages?.Add(request?.Message ?? string.Empty);
                }

                return ValueTask.FromResult(new ElicitResult
                {
                    Action = action,
                    Content = action == "accept" ? new Dictionary<string, JsonElement> { ["confirm"] = JsonSerializer.SerializeToElement(true) } : null,
                });
            },
        },
    };

    /// <summary>A raw MCP POST (initialize unless another body is given).</summary>
    public static async Task<HttpResponseMessage> PostAsync(Uri url, string? key, CancellationToken ct, string? body = null, Action<HttpRequestMessage>? configure = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body ?? InitializeBody, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        configure?.Invoke(request);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        return response;
    }

    /// <summary>A raw session: initialize, then the initialized notification; returns what names the session on a request.</summary>
    public static async Task<Action<HttpRequestMessage>> OpenRawSessionAsync(Uri url, string key, CancellationToken ct)
    {
        using var init = await PostAsync(url, key, ct);
        var session = init.Headers.GetValues("Mcp-Session-Id").Single();
        void InSession(HttpRequestMessage r) => r.Headers.Add("Mcp-Session-Id", session);
        (await PostAsync(url, key, ct, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", InSession)).Dispose();
        return InSession;
    }

    /// <summary>Ends a raw session with a DELETE.</summary>
    public static async Task CloseRawSessionAsync(Uri url, string key, Action<HttpRequestMessage> inSession, CancellationToken ct) =>
        (await PostAsync(url, key, ct, "", r => { inSession(r); r.Method = HttpMethod.Delete; r.Content = null; })).Dispose();

    /// <summary>The structured result of a successful tool call.</summary>
    public static JsonElement Structured(CallToolResult result)
    {
        Assert.True(result.IsError != true, "tool failed: " + string.Join(' ', result.Content.OfType<TextContentBlock>().Select(t => t.Text)));
        return Assert.IsType<JsonElement>(result.StructuredContent);
    }

    /// <summary>The error code of a failed tool call.</summary>
    public static string ErrorCode(CallToolResult result)
    {
        Assert.True(result.IsError == true, "expected a tool error");
        return Assert.IsType<JsonElement>(result.StructuredContent).GetProperty("error").GetProperty("code").GetString()!;
    }

    public sealed class SyncProgress(List<ProgressNotificationValue> sink) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value)
        {
            lock (sink)
            {
                sink.Add(value);
            }
        }
    }
}
