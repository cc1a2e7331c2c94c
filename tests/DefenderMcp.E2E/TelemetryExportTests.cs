using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DefenderMcp.E2E.Http;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace DefenderMcp.E2E;

/// <summary>
/// The built server with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set sends OTLP traces and metrics to that collector
/// (a stand-in that records what it receives); without it, nothing is sent.
/// </summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task With_an_otlp_endpoint_tool_and_upstream_spans_and_client_metrics_reach_the_collector()
    {
        var ct = TestContext.Current.CancellationToken;
        using var collector = new StandInCollector();
        await using (var client = await StartAsync(collector.Url, ct))
        {
            var alerts = await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["severity"] = "High", ["tenant"] = "fabrikam" }, cancellationToken: ct);
            Assert.NotEqual(true, alerts.IsError);
            // The upstream spans end before their tool call's span, so they may come in separate exports.
            await collector.WaitForAsync("/v1/traces", body => body.Contains("defender.tenant", StringComparison.Ordinal) && body.Contains("fabrikam", StringComparison.Ordinal), ct);
            await collector.WaitForAsync("/v1/traces", body => body.Contains("tools/call list_alerts", StringComparison.Ordinal), ct);
            await collector.WaitForAsync("/v1/metrics", body => body.Contains("defender.client.requests", StringComparison.Ordinal), ct);
        }

        var everything = string.Join("\n", collector.Bodies.Select(b => b.Body));
        Assert.Contains("fabrikam", everything, StringComparison.Ordinal);
        Assert.Contains("defender-mcp", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("eyJ", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_otlp_endpoint_nothing_is_exported()
    {
        var ct = TestContext.Current.CancellationToken;
        using var collector = new StandInCollector();
        await using (var client = await StartAsync(null, ct))
        {
            var alerts = await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["severity"] = "High" }, cancellationToken: ct);
            Assert.NotEqual(true, alerts.IsError);
        }

        Assert.Empty(collector.Bodies);
    }

    [Fact]
    public async Task Over_http_the_request_tool_and_upstream_spans_reach_the_collector_without_the_key()
    {
        var ct = TestContext.Current.CancellationToken;
        using var collector = new StandInCollector();
        string? key;
        await using (var server = await HttpServerHost.StartAsync(OtelEnvironment(collector.Url), ct, "--demo"))
        {
            key = server.DemoKey;
            Assert.NotNull(key);
            await using var client = await HttpClients.ConnectAsync(new Uri(server.McpUrl + "?probe=QUERYMARKER"), key, ct);
            var alerts = await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["severity"] = "High", ["tenant"] = "fabrikam" }, cancellationToken: ct);
            Assert.NotEqual(true, alerts.IsError);
            await collector.WaitForAsync("/v1/traces", body => body.Contains("defender.tenant", StringComparison.Ordinal) && body.Contains("fabrikam", StringComparison.Ordinal), ct);
            await collector.WaitForAsync("/v1/traces", body => body.Contains("tools/call list_alerts", StringComparison.Ordinal), ct);
            await collector.WaitForAsync("/v1/traces", body => body.Contains("POST /mcp", StringComparison.Ordinal) && body.Contains("http.response.status_code", StringComparison.Ordinal), ct);
        }

        var traces = string.Join("\n", collector.Bodies.Where(b => b.Path == "/v1/traces").Select(b => b.Body));
        Assert.DoesNotContain(key, traces, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", traces, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("QUERYMARKER", traces, StringComparison.Ordinal);
        Assert.DoesNotContain("user_agent", traces, StringComparison.Ordinal);
        Assert.DoesNotContain("client.address", traces, StringComparison.Ordinal);
        // The session id is the handle the client presents back on every request: it stays out of the export.
        Assert.DoesNotContain("mcp.session.id", traces, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_tool_or_prompt_name_reaches_neither_metrics_nor_spans()
    {
        var ct = TestContext.Current.CancellationToken;
        using var collector = new StandInCollector();
        await using (var client = await StartAsync(collector.Url, ct))
        {
            foreach (var attempt in new Func<Task>[]
            {
                () => client.CallToolAsync("SECRETTOOLMARKER", cancellationToken: ct).AsTask(),
                () => client.GetPromptAsync("SECRETPROMPTMARKER", cancellationToken: ct).AsTask(),
            })
            {
                try
                {
                    await attempt();
                }
                catch (McpException)
                {
                    // Unknown: the request was still measured and traced.
                }
            }

            var alerts = await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["severity"] = "High" }, cancellationToken: ct);
            Assert.NotEqual(true, alerts.IsError);
            await collector.WaitForAsync("/v1/metrics", body => body.Contains("prompts/get", StringComparison.Ordinal) && body.Contains("tools/call", StringComparison.Ordinal), ct);
            await collector.WaitForAsync("/v1/traces", body => body.Contains("tools/call list_alerts", StringComparison.Ordinal), ct);
            await collector.WaitForAsync("/v1/traces", body => body.Contains("prompts/get", StringComparison.Ordinal), ct);
        }

        var everything = string.Join("\n", collector.Bodies.Select(b => b.Body));
        Assert.DoesNotContain("SECRETTOOLMARKER", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETPROMPTMARKER", everything, StringComparison.Ordinal);
        Assert.Contains("tools/call _unknown", everything, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OTEL_SERVICE_NAME", "soc-mcp-marker")]
    [InlineData("OTEL_RESOURCE_ATTRIBUTES", "service.name=soc-mcp-marker,deployment.environment=test")]
    public async Task The_standard_service_name_setting_names_the_service(string variable, string value)
    {
        var ct = TestContext.Current.CancellationToken;
        using var collector = new StandInCollector();
        await using (var client = await StartAsync(collector.Url, ct, (variable, value)))
        {
            var alerts = await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["severity"] = "High" }, cancellationToken: ct);
            Assert.NotEqual(true, alerts.IsError);
            await collector.WaitForAsync("/v1/traces", body => body.Contains("tools/call list_alerts", StringComparison.Ordinal), ct);
        }

        var traces = collector.Bodies.Where(b => b.Path == "/v1/traces").Select(b => b.Body).ToList();
        Assert.All(traces, body => Assert.Contains("soc-mcp-marker", body, StringComparison.Ordinal));
        Assert.All(traces, body => Assert.DoesNotContain("defender-mcp", body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_read_resource_uri_reaches_neither_metrics_nor_spans()
    {
        var ct = TestContext.Current.CancellationToken;
        using var collector = new StandInCollector();
        await using (var client = await StartAsync(collector.Url, ct))
        {
            foreach (var uri in new[] { "defender://hunts/SECRETHUNTMARKER", "defender://results/SECRETRESULTMARKER%00" })
            {
                try
                {
                    await client.ReadResourceAsync(uri, cancellationToken: ct);
                }
                catch (McpException)
                {
                    // Not found is fine: the request was still measured and traced.
                }
            }

            await collector.WaitForAsync("/v1/metrics", body => body.Contains("resources/read", StringComparison.Ordinal), ct);
            await collector.WaitForAsync("/v1/traces", body => body.Contains("resources/read", StringComparison.Ordinal), ct);
        }

        var everything = string.Join("\n", collector.Bodies.Select(b => b.Body));
        Assert.DoesNotContain("SECRETHUNTMARKER", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETRESULTMARKER", everything, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> OtelEnvironment(string endpoint) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
    };

    private static async Task<McpClient> StartAsync(string? endpoint, CancellationToken ct, params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [ServerProcess.DllPath, "--demo"],
            Name = "defender-mcp-otel",
            EnvironmentVariables = environment,
        });
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-06-18" }, cancellationToken: ct);
    }

    /// <summary>An OTLP/HTTP receiver on loopback that answers 200 and keeps each request's path and body.</summary>
    private sealed class StandInCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();

        public StandInCollector()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public ConcurrentQueue<(string Path, string Body)> Bodies { get; } = new();

        public async Task WaitForAsync(string path, Func<string, bool> match, CancellationToken ct)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(60));
            while (!Bodies.Any(b => b.Path == path && match(b.Body)))
            {
                try
                {
                    await Task.Delay(100, deadline.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    Assert.Fail($"No {path} export matched within 60 s; received: {string.Join(", ", Bodies.Select(b => b.Path))}");
                }
            }
        }

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }

                using var buffer = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(buffer);
                // Protobuf keeps strings as UTF-8 bytes, so names and values are searchable in a Latin-1 view.
                Bodies.Enqueue((context.Request.Url!.AbsolutePath, Encoding.Latin1.GetString(buffer.ToArray())));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
            _stop.Dispose();
        }
    }
}
