using System.Diagnostics;
using DefenderMcp.Client.Http;
using DefenderMcp.Hosting;
using DefenderMcp.Tests.Support;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace DefenderMcp.Tests.Observability;

/// <summary>
/// Spans as an OpenTelemetry exporter sees them: one server span per tool call, the upstream calls under it with the
/// tenant, operation, status and retries, and no attribute that could hold a secret.
/// </summary>
public sealed class TelemetrySpanTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    // Listeners are process-wide and other test classes call tools at the same time: each test runs its calls under
    // a root span of its own and looks only at that trace (the SDK carries the trace context to the server).
    private static readonly ActivitySource TestSource = new("DefenderMcp.Tests.Telemetry");

    [Fact]
    public async Task A_tool_call_is_one_server_span_with_its_upstream_calls_as_children()
    {
        var spans = new List<Activity>();
        using var provider = Listen(spans);
        await using var server = await ServerHarness.StartAsync(fixture);
        var tenant = fixture.Emulator.Tenants[1].Key;

        ActivityTraceId trace;
        using (var root = TestSource.StartActivity("test")!)
        {
            trace = root.TraceId;
            await server.CallOkAsync("list_alerts", new() { ["severity"] = "High", ["tenant"] = tenant });
        }

        provider.ForceFlush();

        var call = Assert.Single(ToolCallSpans(spans, trace, "list_alerts"));
        var upstream = Descendants(spans, call).Where(s => s.Source.Name == DefenderTelemetry.SourceName).ToList();
        Assert.NotEmpty(upstream);
        Assert.All(upstream, span =>
        {
            Assert.Equal(ActivityKind.Client, span.Kind);
            Assert.Equal(tenant, span.GetTagItem("defender.tenant"));
            Assert.Equal("graph", span.GetTagItem("defender.api"));
            Assert.Equal("read", span.GetTagItem("defender.operation.kind"));
            Assert.Equal(200, span.GetTagItem("http.response.status_code"));
            Assert.Equal(0, span.GetTagItem("defender.retries"));
            Assert.Equal(ActivityStatusCode.Ok, span.Status);
        });
    }

    [Fact]
    public async Task A_fan_out_call_has_one_upstream_span_per_tenant_under_one_tool_span()
    {
        var spans = new List<Activity>();
        using var provider = Listen(spans);
        await using var server = await ServerHarness.StartAsync(fixture);

        ActivityTraceId trace;
        using (var root = TestSource.StartActivity("test")!)
        {
            trace = root.TraceId;
            await server.CallOkAsync("list_incidents", new() { ["tenant"] = "*" });
        }

        provider.ForceFlush();

        var call = Assert.Single(ToolCallSpans(spans, trace, "list_incidents"));
        var tenants = Descendants(spans, call)
            .Where(s => s.Source.Name == DefenderTelemetry.SourceName)
            .Select(s => (string)s.GetTagItem("defender.tenant")!)
            .ToHashSet();
        Assert.Equal(fixture.Emulator.Tenants.Select(t => t.Key).ToHashSet(), tenants);
    }

    [Fact]
    public async Task An_upstream_failure_marks_its_span_and_no_attribute_holds_a_secret()
    {
        var spans = new List<Activity>();
        using var provider = Listen(spans);
        await using var server = await ServerHarness.StartAsync(fixture);

        var query = "DeviceProcessEvents | where ProcessCommandLine has 'secret-looking-value' | take 3";
        ActivityTraceId trace;
        using (var root = TestSource.StartActivity("test")!)
        {
            trace = root.TraceId;
            await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = query });
            await server.CallErrorAsync("get_incident", new() { ["incident_id"] = "999999999" });
        }

        provider.ForceFlush();

        var failed = Descendants(spans, Assert.Single(ToolCallSpans(spans, trace, "get_incident")))
            .Single(s => s.Source.Name == DefenderTelemetry.SourceName);
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("not_found", failed.GetTagItem("error.type"));
        Assert.Equal(404, failed.GetTagItem("http.response.status_code"));

        var secrets = fixture.Emulator.Tenants.SelectMany(t => new[] { t.App.ClientSecret, t.App.CertificatePassphrase }).ToList();
        var mine = ToolCallSpans(spans, trace, "query_advanced_hunting").Concat(ToolCallSpans(spans, trace, "get_incident"))
            .SelectMany(call => Descendants(spans, call).Prepend(call))
            .ToList();
        Assert.Contains(mine, s => s.Source.Name == DefenderTelemetry.SourceName && (string?)s.GetTagItem("defender.operation") == "hunting");
        foreach (var (key, value) in mine.SelectMany(s => s.TagObjects))
        {
            var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            Assert.DoesNotContain("Bearer", text, StringComparison.OrdinalIgnoreCase);
            Assert.False(text.StartsWith("eyJ", StringComparison.Ordinal), $"{key} looks like a token");
            Assert.DoesNotContain("secret-looking-value", text);
            Assert.DoesNotContain('?', key == "url.path" ? text : string.Empty);
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, text));
        }
    }

    private static TracerProvider Listen(List<Activity> spans) => Sdk.CreateTracerProviderBuilder()
        .AddSource(Telemetry.McpSourceName, DefenderTelemetry.SourceName, TestSource.Name)
        .AddInMemoryExporter(spans)
        .Build();

    private static List<Activity> ToolCallSpans(List<Activity> spans, ActivityTraceId trace, string tool)
    {
        lock (spans)
        {
            return [.. spans.Where(s => s.TraceId == trace && s.Source.Name == Telemetry.McpSourceName && s.Kind == ActivityKind.Server && s.DisplayName == $"tools/call {tool}")];
        }
    }

    private static IEnumerable<Activity> Descendants(List<Activity> spans, Activity root)
    {
        List<Activity> snapshot;
        lock (spans)
        {
            snapshot = [.. spans.Where(s => s.TraceId == root.TraceId)];
        }

        var ids = new HashSet<ActivitySpanId> { root.SpanId };
        var found = new List<Activity>();
        bool grew;
        do
        {
            grew = false;
            foreach (var span in snapshot.Where(s => !ids.Contains(s.SpanId) && ids.Contains(s.ParentSpanId)))
            {
                ids.Add(span.SpanId);
                found.Add(span);
                grew = true;
            }
        }
        while (grew);
        return found;
    }
}
