using DefenderMcp.Client.Auth;
using DefenderMcp.Client.Tests.Fakes;

namespace DefenderMcp.Client.Tests;

/// <summary>
/// A fan-out fetches its waiting tenants' tokens ahead (<see cref="TokenLookahead"/>). Entra must still be asked once
/// per tenant: a prefetched token is the call's, and a prefetch's failure is the call's error, once and only while fresh.
/// </summary>
public sealed class TokenPrefetchTests
{
    private const string Scope = "https://graph.microsoft.com/.default";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_prefetched_token_is_the_calls_without_a_second_request()
    {
        var clock = new ManualClock();
        var credential = new CountingCredential(clock, failures: 0);
        var cache = new TokenCache(() => credential, clock);

        await cache.PrefetchAsync(Scope, Ct);

        Assert.Equal("t1", await cache.GetAsync(Scope, forceRefresh: false, Ct));
        Assert.Equal(1, credential.Requests);
    }

    [Fact]
    public async Task A_prefetch_failure_is_the_next_calls_error_once_then_Entra_is_asked_again()
    {
        var clock = new ManualClock();
        var credential = new CountingCredential(clock, failures: 1);
        var cache = new TokenCache(() => credential, clock);

        await cache.PrefetchAsync(Scope, Ct);
        var error = await Assert.ThrowsAsync<DefenderApiException>(() => cache.GetAsync(Scope, forceRefresh: false, Ct));

        Assert.Equal(DefenderErrorCode.AuthFailure, error.Code);
        Assert.Contains("AADSTS7000215", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, credential.Requests);
        Assert.Equal("t2", await cache.GetAsync(Scope, forceRefresh: false, Ct));
        Assert.Equal(2, credential.Requests);
    }

    [Fact]
    public async Task An_old_prefetch_failure_is_dropped_and_the_call_asks_for_itself()
    {
        var clock = new ManualClock();
        var credential = new CountingCredential(clock, failures: 1);
        var cache = new TokenCache(() => credential, clock);

        await cache.PrefetchAsync(Scope, Ct);
        clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal("t2", await cache.GetAsync(Scope, forceRefresh: false, Ct));
        Assert.Equal(2, credential.Requests);
    }

    [Fact]
    public async Task A_prefetch_failure_for_another_scope_is_not_this_calls()
    {
        var clock = new ManualClock();
        var credential = new CountingCredential(clock, failures: 1);
        var cache = new TokenCache(() => credential, clock);

        await cache.PrefetchAsync("https://api.securitycenter.microsoft.com/.default", Ct);

        Assert.Equal("t2", await cache.GetAsync(Scope, forceRefresh: false, Ct));
    }

    [Fact]
    public async Task A_forced_refresh_after_a_401_never_gets_a_kept_failure()
    {
        var clock = new ManualClock();
        var credential = new CountingCredential(clock, failures: 1);
        var cache = new TokenCache(() => credential, clock);

        await cache.PrefetchAsync(Scope, Ct);

        Assert.Equal("t2", await cache.GetAsync(Scope, forceRefresh: true, Ct));
        Assert.Equal("t2", await cache.GetAsync(Scope, forceRefresh: false, Ct));
        Assert.Equal(2, credential.Requests);
    }

    [Fact]
    public async Task A_prefetch_stopped_with_its_fan_out_keeps_nothing_even_when_the_credential_calls_it_a_failure()
    {
        var clock = new ManualClock();
        var credential = new CancelWrappingCredential(clock);
        var cache = new TokenCache(() => credential, clock);
        using var stopping = new CancellationTokenSource();

        var prefetch = cache.PrefetchAsync(Scope, stopping.Token);
        await stopping.CancelAsync();
        await prefetch.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal("t2", await cache.GetAsync(Scope, forceRefresh: false, Ct));
        Assert.Equal(2, credential.Requests);
    }
}
