using System.Collections;
using DefenderMcp.Client.Http;
using DefenderMcp.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DefenderMcp.Hosting;

/// <summary>
/// OpenTelemetry traces and metrics over OTLP, on only when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (nothing is collected or sent otherwise). Sources: the MCP SDK's own (one span per request, tool calls included)
/// and the Defender client's (one span per upstream call, child of the tool call), which carry shapes only; over HTTP,
/// ASP.NET Core's request span too (the parent of the MCP span), scrubbed to method, route and status.
/// </summary>
public static class Telemetry
{
    /// <summary>The MCP SDK's activity source and meter name.</summary>
    public const string McpSourceName = "Experimental.ModelContextProtocol";

    private static readonly string[] McpMetricTags =
    [
        "mcp.method.name", "mcp.protocol.version", "gen_ai.operation.name",
        "network.protocol.name", "network.transport", "rpc.response.status_code", "error.type",
    ];

    /// <summary>Adds the exporters when <see cref="EnvironmentVariables.OtlpEndpoint"/> is set; otherwise does nothing.</summary>
    public static void AddDefenderTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariables.OtlpEndpoint)))
        {
            return;
        }

        // Our hosts start from empty configuration (no stdout logger, no surprise sources); the exporter reads its
        // standard OTEL_* settings (endpoint, protocol, headers, timeouts, resource) from configuration, so only those
        // variables are added, with their standard names and meaning.
        builder.Configuration.AddInMemoryCollection(OtelVariables());
        builder.Services.AddOpenTelemetry()
            // "defender-mcp" is only the default: the standard OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME, read
            // after it, win (the last detector's value is kept).
            .ConfigureResource(resource => resource
                .Clear()
                .AddService("defender-mcp", serviceVersion: ServerVersion.Current)
                .AddTelemetrySdk()
                .AddEnvironmentVariableDetector())
            .WithTracing(tracing => tracing
                // Over HTTP the request span is the parent of the MCP span: it must be recorded, or the parent-based
                // sampler drops every span under it. It is scrubbed to shapes before any exporter sees it.
                .AddSource(McpSourceName, DefenderTelemetry.SourceName, HttpRequestSpanScrubber.SourceName)
                .AddProcessor(new HttpRequestSpanScrubber())
                .AddProcessor(new ResourceUriScrubber())
                .AddProcessor(services => new McpTargetScrubber(services))
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddMeter(McpSourceName, DefenderTelemetry.SourceName)
                // The SDK's metrics keep only these attributes: above all not mcp.resource.uri, the caller's URI
                // (arguments on a metric, and one series per URI typed), nor gen_ai.tool.name / gen_ai.prompt.name: the
                // SDK records the name the caller sent, served or not, and a view cannot rewrite a value, so any text
                // would make a series of its own. Spans keep the names (an unknown one as "_unknown").
                .AddView(instrument => instrument.Meter.Name == McpSourceName ? new MetricStreamConfiguration { TagKeys = McpMetricTags } : null)
                .AddOtlpExporter());
    }

    private static IEnumerable<KeyValuePair<string, string?>> OtelVariables()
    {
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && key.StartsWith("OTEL_", StringComparison.Ordinal))
            {
                yield return new(key, entry.Value as string);
            }
        }
    }
}
