using System.Diagnostics;
using DefenderMcp.Client.Http;
using DefenderMcp.Configuration;

namespace DefenderMcp.Hosting.Doctor;

/// <summary>
/// The authority answers, and this machine's clock agrees with its <c>Date</c> header: a skewed clock makes client
/// assertions and tokens look expired or not yet valid.
/// </summary>
/// <param name="time">The local clock.</param>
public sealed class ClockCheck(TimeProvider time)
{
    /// <summary>Skew beyond this is a problem (Entra ID allows about five minutes).</summary>
    public static TimeSpan ProblemSkew { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Skew beyond this is worth a warning.</summary>
    public static TimeSpan WarningSkew { get; } = TimeSpan.FromMinutes(1);

    /// <summary>The authority's endpoint and clock findings for <paramref name="tenant"/>.</summary>
    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(TenantSettings tenant, CancellationToken cancellationToken)
    {
        var authority = tenant.Connection.Endpoints.AuthorityHost;
        using var http = new HttpClient(TlsTrust.CreateHandler(tenant.Connection.TrustedCertificatePemPath), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(20) };
        HttpResponseMessage response;
        var sent = time.GetUtcNow();
        var watch = Stopwatch.StartNew();
        try
        {
            response = await http.GetAsync(authority, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return
            [
                new(tenant.Key, "endpoint authority", DoctorStatus.Problem, $"{authority} does not answer ({(ex is TaskCanceledException ? "timeout" : "connection failed")})",
                    $"check that {authority.Host} is reachable from this host (proxy, firewall, DNS) and the cloud setting or authority override"),
                new(tenant.Key, "clock", DoctorStatus.Warning, "not checked: the authority did not answer", "fix the authority endpoint first"),
            ];
        }

        using (response)
        {
            var findings = new List<DoctorFinding> { new(tenant.Key, "endpoint authority", DoctorStatus.Ok, $"{authority} answers ({watch.ElapsedMilliseconds} ms)") };
            if (response.Headers.Date is not { } remote)
            {
                findings.Add(new(tenant.Key, "clock", DoctorStatus.Warning, "not checked: the authority sent no Date header", "compare this machine's clock with an NTP server"));
                return findings;
            }

            // The server stamped its Date somewhere between sending and receiving: compare with the midpoint.
            var local = sent + (watch.Elapsed / 2);
            var skew = local - remote;
            var size = skew.Duration();
            var text = $"{(skew >= TimeSpan.Zero ? "ahead of" : "behind")} {authority.Host} by {size.TotalSeconds:0} s";
            findings.Add(size > ProblemSkew
                ? new(tenant.Key, "clock", DoctorStatus.Problem, text, "synchronise this machine's clock (NTP): tokens and client assertions are refused with this skew")
                : size > WarningSkew
                    ? new(tenant.Key, "clock", DoctorStatus.Warning, text, "synchronise this machine's clock (NTP)")
                    : new(tenant.Key, "clock", DoctorStatus.Ok, $"within {Math.Max(1, Math.Ceiling(size.TotalSeconds)):0} s of {authority.Host}"));
            return findings;
        }
    }
}
