using DefenderMcp.Emulator;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Policy;

/// <summary>
/// Every tenant's client sends through the server's shared pools: a fan-out does not open a TLS connection per tenant,
/// and each request still carries its own tenant's token.
/// </summary>
public sealed class SharedConnectionTests
{
    [Fact]
    public async Task Tenants_called_one_after_another_reuse_one_warm_connection_and_keep_their_own_identity()
    {
        var ct = TestContext.Current.CancellationToken;
        string[] keys = ["t1", "t2", "t3", "t4", "t5", "t6"];
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions { TenantKeys = keys }, ct);
        using var control = emulator.CreateControlClient();
        await using var server = await ServerHarness.StartAsync(emulator);

        foreach (var key in keys)
        {
            var alerts = await server.CallOkAsync("list_alerts", new() { ["tenant"] = key, ["limit"] = 1 });
            Assert.Equal(key, alerts.GetProperty("tenant").GetString());
        }

        var requests = (await control.GetRequestsAsync(ct)).Where(r => r.Tenant is not null).ToList();
        // Each tenant asked for a token and its alerts, and the emulator saw each under its own tenant.
        Assert.Equal(keys.ToHashSet(), requests.Select(r => r.Tenant!).ToHashSet());
        Assert.All(keys, key => Assert.Contains(requests, r => r.Tenant == key && r.Path.Contains("alerts", StringComparison.OrdinalIgnoreCase)));
        // One pool per trust setting: calls made one at a time need one connection, where a pool per tenant needs six.
        var connections = requests.Select(r => r.Connection).Distinct().ToList();
        Assert.DoesNotContain(null, connections);
        Assert.True(connections.Count <= 2, $"{connections.Count} connections for {keys.Length} tenants called in sequence");
    }
}
