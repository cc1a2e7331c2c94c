using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DefenderMcp.Client.Http;

/// <summary>
/// The client's span source and meter, named so a host can subscribe (OpenTelemetry's <c>AddSource</c>/<c>AddMeter</c>).
/// Spans and measurements carry shapes only: tenant key, API, operation family, method, path, status, retries; never
/// tokens, query strings, headers or bodies.
/// </summary>
public static class DefenderTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string SourceName = "DefenderMcp.Client";

    internal static readonly ActivitySource Source = new(SourceName, Version);

    internal static readonly Meter Meter = new(SourceName, Version);

    internal static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "defender.client.requests", "{request}", "Upstream calls, by tenant, API, operation family and outcome.");

    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "defender.client.retries", "{retry}", "Upstream attempts resent after a 429, a 5xx, a timeout or a 401.");

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "defender.client.request.duration", "s", "Upstream call time, retries and waits included.");

    private static string Version => typeof(DefenderTelemetry).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
