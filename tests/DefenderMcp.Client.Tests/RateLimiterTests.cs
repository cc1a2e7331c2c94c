using System.Net;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Tests.Fakes;

namespace DefenderMcp.Client.Tests;

// The local limiter over a clock that jumps ahead by each wait.
public sealed class RateLimiterTests
{
    private const string Hunting = "{\"schema\":[],\"results\":[]}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // A call bound above every MaxWait used here, so that only MaxWait decides (the call bound: see below).
    private static FakeClient Client(TimeSpan maxWait) => new(
        FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, Hunting)),
        o => o with
        {
            RateLimits = new DefenderRateLimits { MaxWait = maxWait },
            Retry = o.Retry with { CallTimeout = TimeSpan.FromMinutes(10), RequestTimeout = TimeSpan.FromMinutes(10) },
        });

    [Fact]
    public async Task Hunting_beyond_45_a_minute_fails_fast_when_the_wait_is_too_long()
    {
        using var fake = Client(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 45; i++)
        {
            await fake.Client.RunHuntingQueryAsync("DeviceInfo", null, Ct);
        }

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.RunHuntingQueryAsync("DeviceInfo", null, Ct));

        Assert.Equal(DefenderErrorCode.RateLimited, error.Code);
        Assert.Equal(TimeSpan.FromMinutes(1), error.RetryAfter);
        Assert.Equal(45, fake.Handler.Sent.Count);
    }

    [Fact]
    public async Task A_wait_within_max_wait_but_past_the_call_bound_fails_at_once_as_rate_limited_not_as_a_timeout()
    {
        // The 46th hunt must wait a minute: within a 2-minute MaxWait, but not within a 30 s call bound, which would
        // cut the wait and report a timeout saying Defender did not answer, though nothing was sent.
        using var fake = new FakeClient(
            FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, Hunting)),
            o => o with
            {
                RateLimits = new DefenderRateLimits { MaxWait = TimeSpan.FromMinutes(2) },
                Retry = o.Retry with { CallTimeout = TimeSpan.FromSeconds(30), RequestTimeout = TimeSpan.FromSeconds(30) },
            });
        for (var i = 0; i < 45; i++)
        {
            await fake.Client.RunHuntingQueryAsync("DeviceInfo", null, Ct);
        }

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.RunHuntingQueryAsync("DeviceInfo", null, Ct));

        Assert.Equal(DefenderErrorCode.RateLimited, error.Code);
        Assert.Equal(TimeSpan.FromMinutes(1), error.RetryAfter);
        Assert.Contains("nothing was sent", error.Message, StringComparison.Ordinal);
        Assert.Equal(45, fake.Handler.Sent.Count);
        Assert.Empty(fake.Time.Waits);
    }

    [Fact]
    public async Task A_short_enough_wait_is_absorbed()
    {
        using var fake = Client(TimeSpan.FromMinutes(2));
        for (var i = 0; i < 46; i++)
        {
            await fake.Client.RunHuntingQueryAsync("DeviceInfo", null, Ct);
        }

        Assert.Equal(46, fake.Handler.Sent.Count);
        Assert.Equal([TimeSpan.FromMinutes(1)], fake.Time.Waits);
    }

    [Fact]
    public async Task Families_count_separately_and_package_links_allow_two_a_minute()
    {
        using var fake = Client(TimeSpan.Zero);
        for (var i = 0; i < 45; i++)
        {
            await fake.Client.RunHuntingQueryAsync("DeviceInfo", null, Ct);
        }

        await fake.Client.ListIncidentsAsync(new IncidentFilter(), 1, Ct).ContinueWith(_ => { }, Ct);
        await fake.Client.GetInvestigationPackageUriAsync("a1", Ct).ContinueWith(_ => { }, Ct);
        await fake.Client.GetInvestigationPackageUriAsync("a1", Ct).ContinueWith(_ => { }, Ct);
        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.GetInvestigationPackageUriAsync("a1", Ct));

        Assert.Equal(DefenderErrorCode.RateLimited, error.Code);
        Assert.Equal(48, fake.Handler.Sent.Count);
    }

    // The family comes with the request, not from its URL: the same URL counts against whichever quota it names.
    [Fact]
    public async Task The_family_is_taken_from_the_request_not_from_its_url()
    {
        using var fake = Client(TimeSpan.Zero);
        var url = new Uri("https://api.security.microsoft.com/api/machines");
        DefenderRequest Get(RateFamily family) => new(HttpMethod.Get, url, DefenderApi.Mde, OperationKind.Read, null, "Machine.Read.All", family);

        await fake.Client.SendForStatusAsync(Get(RateFamily.PackageUri), Ct);
        await fake.Client.SendForStatusAsync(Get(RateFamily.PackageUri), Ct);
        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.SendForStatusAsync(Get(RateFamily.PackageUri), Ct));
        await fake.Client.SendForStatusAsync(Get(RateFamily.Mde("machines")), Ct);

        Assert.Equal(DefenderErrorCode.RateLimited, error.Code);
        Assert.Equal(3, fake.Handler.Sent.Count);
    }

    [Fact]
    public async Task Disabled_limits_never_wait()
    {
        using var fake = new FakeClient(
            FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, Hunting)),
            o => o with { RateLimits = DefenderRateLimits.None });
        for (var i = 0; i < 60; i++)
        {
            await fake.Client.RunHuntingQueryAsync("DeviceInfo", null, Ct);
        }

        Assert.Equal(60, fake.Handler.Sent.Count);
        Assert.Empty(fake.Time.Waits);
    }
}
