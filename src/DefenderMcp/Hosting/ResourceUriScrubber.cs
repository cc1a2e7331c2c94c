using System.Diagnostics;
using OpenTelemetry;

namespace DefenderMcp.Hosting;

/// <summary>
/// Removes the MCP SDK's <c>mcp.resource.uri</c> from its spans (and from the span name, should it carry it): the URI
/// is exactly what the caller typed (a hunt name, a result id, any bytes), and arguments never leave in telemetry.
/// A <c>resources/read</c> span keeps its method; the metrics lose the attribute through a view (see
/// <see cref="Telemetry"/>).
/// </summary>
internal sealed class ResourceUriScrubber : BaseProcessor<Activity>
{
    /// <summary>The MCP SDK's attribute holding the requested resource URI.</summary>
    public const string UriTag = "mcp.resource.uri";

    /// <inheritdoc />
    public override void OnEnd(Activity data)
    {
        if (data.Source.Name != Telemetry.McpSourceName || data.GetTagItem(UriTag) is not { } uri)
        {
            return;
        }

        data.SetTag(UriTag, null);
        if (uri is string text && text.Length > 0 && data.DisplayName.Contains(text, StringComparison.Ordinal))
        {
            data.DisplayName = data.GetTagItem("mcp.method.name") as string ?? "resources/read";
        }
    }
}
