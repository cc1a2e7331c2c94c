using System.Net;
using System.Text;
using DefenderMcp.Hosting.Http;

namespace DefenderMcp.Tests.Http;

/// <summary>
/// The Entra signing-key cache: a refresh asked for (a token naming an unknown key) is fetched by the next read, within
/// the same request, but at most once per refresh interval; a failed refresh keeps the keys in hand.
/// </summary>
public sealed class EntraSigningKeysTests
{
    private const string Tenant = "6babcaad-604b-40ac-a9d7-9fd97c0b779f";

    [Fact]
    public async Task A_requested_refresh_is_fetched_at_once_but_at_most_once_per_interval_and_a_failure_keeps_the_keys()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new SteppedTime();
        using var authority = new CountingAuthority();
        using var http = new HttpClient(authority);
        var keys = new EntraSigningKeys(Options(), http, time);

        var first = await keys.GetConfigurationAsync(ct);
        Assert.Same(first, await keys.GetConfigurationAsync(ct));
        Assert.Equal(1, authority.ConfigurationReads);

        keys.RequestRefresh();
        var refreshed = await keys.GetConfigurationAsync(ct);
        Assert.NotSame(first, refreshed);
        Assert.Equal(2, authority.ConfigurationReads);

        // A flood of unknown key ids inside the interval reads the authority no more.
        for (var i = 0; i < 20; i++)
        {
            keys.RequestRefresh();
            Assert.Same(refreshed, await keys.GetConfigurationAsync(ct));
        }

        Assert.Equal(2, authority.ConfigurationReads);

        time.Now += TimeSpan.FromSeconds(31);
        authority.Down = true;
        keys.RequestRefresh();
        Assert.Same(refreshed, await keys.GetConfigurationAsync(ct));
        var reads = authority.ConfigurationReads;
        Assert.True(reads > 2, "the refresh after the interval was not fetched");
        Assert.Same(refreshed, await keys.GetConfigurationAsync(ct));
        Assert.Equal(reads, authority.ConfigurationReads);
        Assert.Single(refreshed.SigningKeys);
    }

    [Fact]
    public async Task While_one_read_fetches_the_due_configuration_the_others_get_the_keys_in_hand_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new SteppedTime();
        using var authority = new CountingAuthority();
        using var http = new HttpClient(authority);
        var keys = new EntraSigningKeys(Options(), http, time);
        var first = await keys.GetConfigurationAsync(ct);

        // The configuration is due again, and the authority now hangs: one read waits for it, the others must not.
        time.Now += keys.AutomaticRefreshInterval + TimeSpan.FromMinutes(1);
        authority.Hang = new TaskCompletionSource();
        var fetching = keys.GetConfigurationAsync(ct);
        await authority.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var other = keys.GetConfigurationAsync(ct);
        Assert.True(other.IsCompleted, "a second read queued behind the hung fetch");
        Assert.Same(first, await other);

        authority.Hang.SetResult();
        var refreshed = await fetching.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.NotSame(first, refreshed);
    }

    private static EntraCallerOptions Options() => new()
    {
        TenantId = Tenant,
        Audiences = ["api://defender-mcp"],
        Authority = new Uri($"https://login.example/{Tenant}/v2.0"),
        KeyRefreshInterval = TimeSpan.FromSeconds(30),
    };

    private sealed class SteppedTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class CountingAuthority : HttpMessageHandler
    {
        private const string Jwks = """{"keys":[{"kty":"RSA","use":"sig","kid":"k1","n":"qXk45FJhpg-D_RiCZUroGiAIiSRXRYv5Aqmt_kS6S88p-447EF5_OLexc5hkPK9lKPI0WPsGrykN_VyjyWAryuYZXeo4oI7sGb9K_8ho-uaeKFXiUUBN7UqV98NckFJcZCWbH6sZmSsoOGYlM3nKQcQkQjA3d27xQiBt59W4GZPfKvt3iFyc42O3Dp8A-N86RW58jqk60ySmf1vBJff1_DX0X6iTm1bnIuGKxa6SQsBAMAGkFjInhm5bZXGCPxq-qNXkLUf4-giytatvW2eqoWs0CjSFH8CMX8X0aJyVcsXK0UIO_TprIGjlSdf9f257zXpsqY6SdP3nth8jNBtbyQ","e":"AQAB"}]}""";

        public int ConfigurationReads { get; private set; }

        public bool Down { get; set; }

        /// <summary>When set, a configuration read waits for it (after signalling <see cref="Entered"/>).</summary>
        public TaskCompletionSource? Hang { get; set; }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (path.EndsWith("/openid-configuration", StringComparison.Ordinal))
            {
                ConfigurationReads++;
                if (Hang is { } hang)
                {
                    Entered.TrySetResult();
                    await hang.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            if (Down)
            {
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            }

            var body = path.EndsWith("/openid-configuration", StringComparison.Ordinal)
                ? $$"""{"issuer":"https://login.example/{{Tenant}}/v2.0","jwks_uri":"https://login.example/{{Tenant}}/discovery/v2.0/keys"}"""
                : Jwks;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
