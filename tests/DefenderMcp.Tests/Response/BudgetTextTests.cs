using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Response;

// The hourly budget is a circuit breaker: its refusal says that nothing was sent, when it frees up, that a dry run
// still works, and whom to ask, so that an agent waits or asks instead of retrying in a loop.
public sealed class BudgetTextTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task A_spent_budget_says_nothing_was_sent_when_it_frees_up_and_what_to_do()
    {
        await using var server = await ServerHarness.StartAsync(
            fixture,
            s => s with { Tenants = [s.Tenants[0] with { Policy = s.Tenants[0].Policy with { MaxActionsPerHour = 1 } }, .. s.Tenants.Skip(1)] },
            ActionTier.Respond,
            ConfirmationMode.None);
        var args = new Dictionary<string, object?> { ["device"] = "ctso-eng-ws-095.contoso.com", ["comment"] = "sweep" };
        await server.CallOkAsync("run_antivirus_scan", args);
        var scansBefore = (await fixture.Control.GetRequestsAsync(TestContext.Current.CancellationToken)).Count(r => r.Path.EndsWith("/runAntiVirusScan", StringComparison.Ordinal));

        var result = await server.CallAsync("run_antivirus_scan", args);
        args["dry_run"] = true;
        var dryRun = await server.CallOkAsync("run_antivirus_scan", args);

        var error = ((System.Text.Json.JsonElement)result.StructuredContent!).GetProperty("error");
        var message = error.GetProperty("message").GetString()!;
        Assert.Equal("policy_denied", error.GetProperty("code").GetString());
        Assert.Matches(@"^The hourly action budget of tenant 'contoso' \(1\) is spent; it frees up at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\. Nothing was sent\. Try again after that time \(dry_run still works meanwhile\), or ask the operator whether the tenant's max_actions_per_hour should be raised\.$", message);
        Assert.InRange(error.GetProperty("retry_after").GetInt32(), 3500, 3600);
        Assert.True(dryRun.GetProperty("dry_run").GetBoolean());
        Assert.Equal(scansBefore, (await fixture.Control.GetRequestsAsync(TestContext.Current.CancellationToken)).Count(r => r.Path.EndsWith("/runAntiVirusScan", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 3)]
    public async Task A_call_larger_than_the_whole_budget_says_waiting_will_not_help_and_has_no_retry_after(int budget, int devices)
    {
        await using var server = await ServerHarness.StartAsync(
            fixture,
            s => s with { Tenants = [s.Tenants[0] with { Policy = s.Tenants[0].Policy with { MaxActionsPerHour = budget } }, .. s.Tenants.Skip(1)] },
            ActionTier.Respond,
            ConfirmationMode.None);
        var names = (await server.CallOkAsync("list_devices", new() { ["name_prefix"] = "ctso-eng-ws", ["limit"] = 10 })).GetProperty("devices").EnumerateArray()
            .Select(d => d.GetProperty("name").GetString()).Where(n => n!.StartsWith("ctso-eng-ws", StringComparison.Ordinal)).Take(devices).ToList();
        Assert.Equal(devices, names.Count);
        var args = devices == 1
            ? new Dictionary<string, object?> { ["device"] = names[0], ["comment"] = "sweep" }
            : new Dictionary<string, object?> { ["devices"] = names, ["comment"] = "sweep" };

        var result = await server.CallAsync("run_antivirus_scan", args);

        var error = ((System.Text.Json.JsonElement)result.StructuredContent!).GetProperty("error");
        var message = error.GetProperty("message").GetString()!;
        Assert.Equal("policy_denied", error.GetProperty("code").GetString());
        Assert.Contains("waiting will not help", message, StringComparison.Ordinal);
        Assert.DoesNotContain("frees up", message, StringComparison.Ordinal);
        Assert.False(error.TryGetProperty("retry_after", out _));
        Assert.Equal("denied_budget", server.AuditLines().Last().GetProperty("policy_decision").GetString());
    }
}
