using DefenderMcp.Client.Auth;
using DefenderMcp.Client.Http;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Client.Tests;

// Building a retry pipeline validates its options by reflection: a cold fan-out used to pay it once per tenant.
public sealed class SharedResilienceTests
{
    private static DefenderTenantOptions Tenant(string key, string secret, DefenderRetryOptions? retry = null) => new()
    {
        TenantKey = key,
        TenantId = "00000000-0000-0000-0000-00000000000" + key[^1],
        ClientId = "00000000-0000-0000-0000-000000000002",
        Credential = new ClientSecretCredentialSpec(secret),
        Endpoints = DefenderEndpoints.For(DefenderCloud.Commercial),
        Retry = retry ?? new DefenderRetryOptions(),
    };

    [Fact]
    public void Tenants_of_one_host_share_one_retry_pipeline_and_keep_their_own_tokens()
    {
        using var connections = new SharedConnections();
        using var loggers = LoggerFactory.Create(_ => { });
        using var first = DefenderClient.Create(Tenant("t1", "secret-1"), connections, loggers);
        using var second = DefenderClient.Create(Tenant("t2", "secret-2"), connections, loggers);
        using var slower = DefenderClient.Create(Tenant("t3", "secret-3", new DefenderRetryOptions { MaxTransientAttempts = 5 }), connections, loggers);
        using var otherHost = LoggerFactory.Create(_ => { });
        using var elsewhere = DefenderClient.Create(Tenant("t4", "secret-4"), connections, otherHost);

        Assert.Same(first.Pipeline.Resilience, second.Pipeline.Resilience);
        Assert.NotSame(first.Pipeline, second.Pipeline);
        // Other retry settings, or another host's logging, get a pipeline of their own.
        Assert.NotSame(first.Pipeline.Resilience, slower.Pipeline.Resilience);
        Assert.NotSame(first.Pipeline.Resilience, elsewhere.Pipeline.Resilience);
    }
}
