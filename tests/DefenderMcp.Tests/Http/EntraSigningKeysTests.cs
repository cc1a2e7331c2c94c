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
        var entra = new EntraCallerOptions
        {
            TenantId = Tenant,
            Audiences = ["api://defender-mcp"],
            Authority = new Uri($"https://login.example/{Tenant}/v2.0"),
            KeyRefreshInterval = TimeSpan.FromSeconds(30),
        };
        var keys = new EntraSigningKeys(entra, http, time);

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

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (path.EndsWith("/openid-configuration", StringComparison.Ordinal))
            {
                ConfigurationReads++;
            }

            if (Down)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
            }

            var body = path.EndsWith("/openid-configuration", StringComparison.Ordinal)
                ? $$"""{"issuer":"https://login.example/{{Tenant}}/v2.0","jwks_uri":"https://login.example/{{Tenant}}/discovery/v2.0/keys"}"""
                : Jwks;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
