using DefenderMcp.Client;
using DefenderMcp.Client.Auth;
using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// A cold fan-out gets its waiting tenants' tokens while the first slots call, instead of one token wait per batch,
/// and still asks Entra exactly once per tenant, a failing one included (seen in the emulator's request log).
/// </summary>
public sealed class FanOutTokenLookaheadTests : IAsyncLifetime
{
    private const int TenantCount = 12;
    private const int Slots = 2;
    private DefenderEmulator _emulator = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _emulator = await DefenderEmulator.StartAsync(
            new EmulatorOptions { TenantKeys = [.. Enumerable.Range(1, TenantCount).Select(i => $"t{i:D2}")] },
            Ct);

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();

    [Fact]
    public async Task Waiting_tenants_get_their_tokens_before_the_first_slots_answer_and_each_tenant_asks_once()
    {
        await using var server = await ServerHarness.StartAsync(_emulator, s => s with { FanOutConcurrency = Slots });
        using var control = _emulator.CreateControlClient();
        await control.ClearRequestsAsync(Ct);
        // The first slots' alerts answer slowly, tokens at once: without the lookahead, a waiting tenant's token comes
        // only after a slot frees; with it, all of them come well inside the first slots' 3 s.
        foreach (var first in new[] { "t01", "t02" })
        {
            await control.AddFaultAsync(new FaultSpec { Status = 0, DelayMs = 3000, Count = 0, PathPattern = "alerts_v2", Tenant = first }, Ct);
        }

        var result = await server.CallOkAsync("list_alerts", new() { ["tenant"] = "*", ["limit"] = 1 });

        Assert.All(result.GetProperty("results").EnumerateArray(), e => Assert.True(e.TryGetProperty("result", out _), e.GetRawText()));
        var requests = await control.GetRequestsAsync(Ct);
        var tokens = requests.Where(IsToken).ToList();
        var firstAnswer = requests.Where(r => r.Path.Contains("alerts_v2", StringComparison.Ordinal)).Min(r => r.Timestamp);
        var lastWaitingToken = tokens.Where(r => r.Tenant is not ("t01" or "t02")).Max(r => r.Timestamp);
        Assert.True(lastWaitingToken < firstAnswer, $"the last waiting tenant's token came at {lastWaitingToken:O}, after the first slot's answer at {firstAnswer:O}");
        Assert.Equal(TenantCount, tokens.Count);
        Assert.Equal(TenantCount, tokens.Select(r => r.Tenant).Distinct().Count());
    }

    [Fact]
    public async Task A_waiting_tenant_whose_credential_fails_gets_its_own_error_and_Entra_is_asked_once()
    {
        var failing = _emulator.Tenants[TenantCount - 1].Key;
        await using var server = await ServerHarness.StartAsync(_emulator, s => s with
        {
            FanOutConcurrency = Slots,
            Tenants = [.. s.Tenants.Select(t => t.Key == failing ? t with { Connection = t.Connection with { Credential = new ClientSecretCredentialSpec("not-the-secret") } } : t)],
        });
        using var control = _emulator.CreateControlClient();
        await control.ClearRequestsAsync(Ct);

        var result = await server.CallOkAsync("list_alerts", new() { ["tenant"] = "*", ["limit"] = 1 });

        var entries = result.GetProperty("results").EnumerateArray().ToList();
        var failed = Assert.Single(entries, e => e.TryGetProperty("error", out _));
        Assert.Equal(failing, failed.GetProperty("tenant").GetString());
        Assert.Equal("auth_failure", failed.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(TenantCount - 1, entries.Count(e => e.TryGetProperty("result", out _)));
        var requests = await control.GetRequestsAsync(Ct);
        Assert.Equal(1, requests.Count(r => IsToken(r) && r.Tenant == failing));
    }

    [Fact]
    public async Task Concurrent_cold_fan_outs_each_get_every_tenant_and_Entra_is_asked_once_per_tenant()
    {
        await using var server = await ServerHarness.StartAsync(_emulator, s => s with { FanOutConcurrency = Slots });
        using var control = _emulator.CreateControlClient();
        await control.ClearRequestsAsync(Ct);

        // Four fan-outs at once, each with its own lookahead over the same cold tenants.
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => server.CallOkAsync("list_alerts", new() { ["tenant"] = "*", ["limit"] = 1 })));

        Assert.All(results, result =>
        {
            var entries = result.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(TenantCount, entries.Count);
            Assert.All(entries, e => Assert.True(e.TryGetProperty("result", out _), e.GetRawText()));
        });
        var tokens = (await control.GetRequestsAsync(Ct)).Where(IsToken).ToList();
        Assert.Equal(TenantCount, tokens.Count);
        Assert.Equal(TenantCount, tokens.Select(r => r.Tenant).Distinct().Count());
    }

    [Fact]
    public async Task A_single_tenant_call_has_no_lookahead()
    {
        await using var server = await ServerHarness.StartAsync(_emulator, s => s with { FanOutConcurrency = Slots });
        using var control = _emulator.CreateControlClient();
        await control.ClearRequestsAsync(Ct);

        await server.CallOkAsync("list_alerts", new() { ["tenant"] = "t05", ["limit"] = 1 });

        var tenants = (await control.GetRequestsAsync(Ct)).Where(IsToken).Select(r => r.Tenant).ToList();
        Assert.Equal(["t05"], tenants);
    }

    private static bool IsToken(RecordedRequest request) => request.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal);
}
