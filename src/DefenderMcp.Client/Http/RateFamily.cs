namespace DefenderMcp.Client.Http;

/// <summary>
/// The quota a request counts against, named by the builder that knows it, so the limiter never re-derives it from a
/// URL. Each MDE API and each action type counts on its own (defender-api §3.4–3.9); hunting, indicator batches, live
/// response and package links have their own numbers.
/// </summary>
public sealed class RateFamily
{
    private readonly Func<DefenderRateLimits, RateQuota> _quota;

    private RateFamily(string key, Func<DefenderRateLimits, RateQuota> quota)
    {
        Key = key;
        _quota = quota;
    }

    /// <summary>Graph runHuntingQuery.</summary>
    public static RateFamily Hunting { get; } = new("hunting", l => l.Hunting);

    /// <summary>Every other Graph security call.</summary>
    public static RateFamily Graph { get; } = new("graph", l => l.Graph);

    /// <summary>Indicator import and batch delete.</summary>
    public static RateFamily IndicatorBatch { get; } = new("indicator-batch", l => l.IndicatorBatch);

    /// <summary>Live response runs.</summary>
    public static RateFamily LiveResponse { get; } = new("live-response", l => l.LiveResponse);

    /// <summary>Investigation package links.</summary>
    public static RateFamily PackageUri { get; } = new("package-uri", l => l.PackageUri);

    /// <summary>A machine's vulnerabilities: the one vulnerability API documented below the MDE default.</summary>
    public static RateFamily MachineVulnerabilities { get; } = new("mde:machines/vulnerabilities", l => l.MachineVulnerabilities);

    /// <summary>The key calls are counted under.</summary>
    public string Key { get; }

    /// <summary>One MDE API (e.g. <c>machines</c>, <c>machines/isolate</c>): 100 a minute and 1,500 an hour each.</summary>
    public static RateFamily Mde(string api) => new("mde:" + api, l => l.Mde);

    /// <summary>This family's quota under <paramref name="limits"/>.</summary>
    public RateQuota QuotaIn(DefenderRateLimits limits) => _quota(limits);

    /// <inheritdoc />
    public override string ToString() => Key;
}
