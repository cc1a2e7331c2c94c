using DefenderMcp.Client.Tests.Fakes;

namespace DefenderMcp.Client.Tests;

// Every call ends in bounded time: a hung upstream is given up on per attempt and per call, on a clock the test moves.
public sealed class CallTimeoutTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static FakeHandler Hanging() => new(async (_, _, ct) =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    });

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting for the client");
            await Task.Delay(10, Ct);
        }
    }

    [Fact]
    public void The_defaults_are_30_s_per_attempt_and_50_s_per_call()
    {
        var options = new DefenderRetryOptions();

        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(50), options.CallTimeout);
    }

    [Fact]
    public async Task With_the_defaults_a_hung_read_is_retried_at_30_s_and_stopped_at_50_s_with_a_timeout_that_says_what_to_try()
    {
        var clock = new ManualClock();
        using var fake = new FakeClient(Hanging(), timeouts: clock);

        var call = fake.Client.GetMachineAsync("m1", Ct);
        await WaitForAsync(() => fake.Handler.Sent.Count == 1 && clock.Pending >= 2);

        clock.Advance(TimeSpan.FromSeconds(29.9));
        await Task.Delay(50, Ct);
        Assert.Single(fake.Handler.Sent);

        clock.Advance(TimeSpan.FromSeconds(0.1));
        await WaitForAsync(() => fake.Handler.Sent.Count == 2);

        clock.Advance(TimeSpan.FromSeconds(19.9));
        await Task.Delay(50, Ct);
        Assert.False(call.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(0.1));
        var error = await Assert.ThrowsAsync<DefenderApiException>(() => call);

        Assert.Equal(DefenderErrorCode.Timeout, error.Code);
        Assert.Contains("within 50 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("each attempt is limited to 30 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("Try again", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, fake.Handler.Sent.Count);
    }

    [Fact]
    public async Task The_call_bound_covers_every_page_of_a_list()
    {
        // Each page answers at once, but the next page hangs: the list as a whole is bounded, not each page.
        var clock = new ManualClock();
        using var fake = new FakeClient(
            new FakeHandler(async (_, n, ct) =>
            {
                if (n == 0)
                {
                    return FakeHandler.Json(System.Net.HttpStatusCode.OK, "{\"value\":[{\"id\":\"1\"}],\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/security/incidents?$skiptoken=2\"}");
                }

                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("unreachable");
            }),
            o => o with { Retry = o.Retry with { RequestTimeout = TimeSpan.FromSeconds(5), CallTimeout = TimeSpan.FromSeconds(8) } },
            timeouts: clock);

        var call = fake.Client.ListIncidentsAsync(new IncidentFilter(), 10, Ct);
        await WaitForAsync(() => fake.Handler.Sent.Count == 2);
        clock.Advance(TimeSpan.FromSeconds(5));
        await WaitForAsync(() => fake.Handler.Sent.Count == 3);
        clock.Advance(TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => call);
        Assert.Equal(DefenderErrorCode.Timeout, error.Code);
        Assert.Contains("within 8 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_that_hangs_is_sent_once_and_ends_at_the_attempt_bound()
    {
        var clock = new ManualClock();
        using var fake = new FakeClient(Hanging(), timeouts: clock);

        var call = fake.Client.SendAsync(fake.Client.RequestMachineAction("m1", MachineActionKind.Release, "done"), Ct);
        await WaitForAsync(() => fake.Handler.Sent.Count == 1 && clock.Pending >= 2);
        clock.Advance(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => call);
        Assert.Equal(DefenderErrorCode.Timeout, error.Code);
        Assert.Contains("within 30 s on the only attempt", error.Message, StringComparison.Ordinal);
        Assert.Single(fake.Handler.Sent);
    }

    [Fact]
    public async Task The_callers_cancellation_stops_the_request_at_once_and_is_not_a_timeout()
    {
        var clock = new ManualClock();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var aborted = new TaskCompletionSource();
        using var fake = new FakeClient(
            new FakeHandler(async (_, _, ct) =>
            {
                using var registration = ct.Register(() => aborted.TrySetResult());
                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("unreachable");
            }),
            timeouts: clock);

        var call = fake.Client.GetIncidentAsync("7", cts.Token);
        await WaitForAsync(() => fake.Handler.Sent.Count == 1);
        await cts.CancelAsync();

        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(fake.Handler.Sent);
    }

    [Fact]
    public async Task A_token_endpoint_that_does_not_answer_ends_in_a_timeout_that_names_entra_id_not_defender()
    {
        // The credential hangs until the call's deadline cancels it, then fails as Azure.Identity may (wrapped).
        var clock = new ManualClock();
        var credential = new CancelWrappingCredential(clock);
        var handler = FakeHandler.Sequence(() => FakeHandler.Json(System.Net.HttpStatusCode.OK, "{\"id\":\"m1\"}"));
        var options = new DefenderTenantOptions
        {
            TenantId = "00000000-0000-0000-0000-000000000001",
            ClientId = "00000000-0000-0000-0000-000000000002",
            Credential = new ClientSecretCredentialSpec("unused"),
            Endpoints = DefenderEndpoints.For(DefenderCloud.Commercial),
            Retry = new DefenderRetryOptions { RequestTimeout = TimeSpan.FromSeconds(5), CallTimeout = TimeSpan.FromSeconds(8) },
        };
        using var client = DefenderClient.CreateForTests(options, handler, credential, new InstantTime(), clock);

        var call = client.GetMachineAsync("m1", Ct);
        await WaitForAsync(() => credential.Requests == 1 && clock.Pending >= 1);
        clock.Advance(TimeSpan.FromSeconds(8));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => call);
        Assert.Equal(DefenderErrorCode.Timeout, error.Code);
        Assert.Contains("Entra ID did not answer the token request within 8 s", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Defender did not answer", error.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Sent);
    }

    [Fact]
    public async Task The_calls_of_one_call_bound_scope_share_one_bound()
    {
        // The first call takes 5 s of an 8 s bound: the second, which hangs, gets the 3 s left, not 8 s of its own.
        var clock = new ManualClock();
        var answer = new TaskCompletionSource();
        using var fake = new FakeClient(
            new FakeHandler(async (_, n, ct) =>
            {
                if (n == 0)
                {
                    await answer.Task.WaitAsync(ct);
                    return FakeHandler.Json(System.Net.HttpStatusCode.OK, "{\"id\":\"m1\"}");
                }

                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("unreachable");
            }),
            o => o with { Retry = o.Retry with { RequestTimeout = TimeSpan.FromSeconds(8), CallTimeout = TimeSpan.FromSeconds(8) } },
            timeouts: clock);

        async Task ReadTwiceAsync()
        {
            using var bound = CallBound.Begin();
            await fake.Client.GetMachineAsync("m1", Ct);
            await fake.Client.GetMachineAsync("m2", Ct);
        }

        var run = ReadTwiceAsync();
        await WaitForAsync(() => fake.Handler.Sent.Count == 1);
        clock.Advance(TimeSpan.FromSeconds(5));
        answer.SetResult();
        await WaitForAsync(() => fake.Handler.Sent.Count == 2);
        clock.Advance(TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => run.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(DefenderErrorCode.Timeout, error.Code);
        Assert.Contains("within 8 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_started_in_a_scope_that_has_ended_gets_a_bound_of_its_own()
    {
        // The task keeps the scope on its async flow; once the scope has ended its spent bound must not cut it short.
        var clock = new ManualClock();
        using var fake = new FakeClient(
            FakeHandler.Sequence(() => FakeHandler.Json(System.Net.HttpStatusCode.OK, "{\"id\":\"m1\"}"), () => FakeHandler.Json(System.Net.HttpStatusCode.OK, "{\"id\":\"m2\"}")),
            o => o with { Retry = o.Retry with { RequestTimeout = TimeSpan.FromSeconds(8), CallTimeout = TimeSpan.FromSeconds(8) } },
            timeouts: clock);
        var go = new TaskCompletionSource();

        async Task<Task<Machine>> ScopeAsync()
        {
            using var bound = CallBound.Begin();
            await fake.Client.GetMachineAsync("m1", Ct);
            return Task.Run(async () =>
            {
                await go.Task;
                return await fake.Client.GetMachineAsync("m2", Ct);
            });
        }

        var later = await ScopeAsync();
        clock.Advance(TimeSpan.FromSeconds(9));
        go.SetResult();

        var machine = await later.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal("m2", machine.Id);
    }

    [Fact]
    public async Task A_retry_wait_fits_what_the_scope_left_of_the_bound_not_a_fresh_bound()
    {
        // 20 s of the default 50 s bound are spent by the first call: a 40 s Retry-After on the second no longer fits,
        // so it answers rate_limited at once instead of waiting into a timeout.
        var clock = new ManualClock();
        var answer = new TaskCompletionSource();
        using var fake = new FakeClient(
            new FakeHandler(async (_, n, ct) =>
            {
                if (n == 0)
                {
                    await answer.Task.WaitAsync(ct);
                    return FakeHandler.Json(System.Net.HttpStatusCode.OK, "{\"id\":\"m1\"}");
                }

                return n == 1
                    ? FakeHandler.Status(System.Net.HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(40))
                    : FakeHandler.Json(System.Net.HttpStatusCode.OK, "{\"id\":\"m2\"}");
            }),
            timeouts: clock);

        async Task ReadTwiceAsync()
        {
            using var bound = CallBound.Begin();
            await fake.Client.GetMachineAsync("m1", Ct);
            await fake.Client.GetMachineAsync("m2", Ct);
        }

        var run = ReadTwiceAsync();
        await WaitForAsync(() => fake.Handler.Sent.Count == 1);
        clock.Advance(TimeSpan.FromSeconds(20));
        answer.SetResult();

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => run.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(DefenderErrorCode.RateLimited, error.Code);
        Assert.Equal(TimeSpan.FromSeconds(40), error.RetryAfter);
        Assert.Equal(2, fake.Handler.Sent.Count);
    }
}
