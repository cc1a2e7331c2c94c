using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using OpenTelemetry;

namespace DefenderMcp.Hosting;

/// <summary>
/// Keeps what the caller typed out of the MCP SDK's spans: the SDK names a <c>tools/call</c> or <c>prompts/get</c> span
/// (and sets <c>gen_ai.tool.name</c> / <c>gen_ai.prompt.name</c>) after the name in the request, registered or not,
/// so any text could reach the collector. A name this server does not serve becomes <see cref="Unknown"/> (in the
/// attribute, the span name and the status text). <c>mcp.session.id</c> goes too: over HTTP it is the handle the client
/// presents back on every request.
/// </summary>
internal sealed class McpTargetScrubber(IServiceProvider services) : BaseProcessor<Activity>
{
    /// <summary>What stands for a tool or prompt name this server does not serve.</summary>
    public const string Unknown = "_unknown";

    private const string ToolTag = "gen_ai.tool.name";
    private const string PromptTag = "gen_ai.prompt.name";
    private const string SessionTag = "mcp.session.id";

    private McpServerOptions? _options;

    /// <inheritdoc />
    public override void OnEnd(Activity data)
    {
        if (data.Source.Name != Telemetry.McpSourceName)
        {
            return;
        }

        data.SetTag(SessionTag, null);
        var options = _options ??= services.GetRequiredService<IOptions<McpServerOptions>>().Value;
        Scrub(data, ToolTag, name => options.ToolCollection?.TryGetPrimitive(name, out _) == true);
        Scrub(data, PromptTag, name => options.PromptCollection?.TryGetPrimitive(name, out _) == true);
    }

    private static void Scrub(Activity data, string tag, Func<string, bool> served)
    {
        if (data.GetTagItem(tag) is not string name || served(name))
        {
            return;
        }

        data.SetTag(tag, Unknown);
        var method = data.GetTagItem("mcp.method.name") as string ?? data.DisplayName;
        data.DisplayName = $"{method} {Unknown}";
        // The SDK's "Unknown tool: 'name'" error text becomes the span's status description.
        if (data.Status == ActivityStatusCode.Error && data.StatusDescription?.Contains(name, StringComparison.Ordinal) == true)
        {
            data.SetStatus(ActivityStatusCode.Error, data.StatusDescription.Replace(name, Unknown, StringComparison.Ordinal));
        }
    }
}
