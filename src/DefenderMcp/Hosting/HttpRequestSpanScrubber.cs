using System.Diagnostics;
using OpenTelemetry;

namespace DefenderMcp.Hosting;

/// <summary>
/// Keeps only shape attributes on ASP.NET Core's request span (method, route template, status): the span is recorded
/// so that the MCP and Defender client spans under it are sampled over HTTP, but what the caller typed (path, query
/// string, user agent, client address, headers) must not reach a collector.
/// </summary>
internal sealed class HttpRequestSpanScrubber : BaseProcessor<Activity>
{
    /// <summary>ASP.NET Core's activity source: one span per HTTP request.</summary>
    public const string SourceName = "Microsoft.AspNetCore";

    private static readonly HashSet<string> Kept = new(StringComparer.Ordinal)
    {
        "http.request.method",
        "http.route",
        "http.response.status_code",
        "error.type",
    };

    /// <inheritdoc />
    public override void OnEnd(Activity data)
    {
        if (data.Source.Name != SourceName)
        {
            return;
        }

        foreach (var name in data.TagObjects.Select(tag => tag.Key).Where(key => !Kept.Contains(key)).ToList())
        {
            data.SetTag(name, null);
        }

        // The name is "METHOD route" once routing matched; anything else could carry the raw path.
        var route = data.GetTagItem("http.route") as string;
        // RequestSpanTags set the method (normalized) and the route; without them, the name says no more than HTTP.
        var method = data.GetTagItem("http.request.method") as string ?? "HTTP";
        data.DisplayName = route is null ? method : $"{method} {route}";
    }
}
