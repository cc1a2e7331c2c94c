using System.Net;
using DefenderMcp.Client.Tests.Fakes;

namespace DefenderMcp.Client.Tests;

// Retry rules over a scripted transport; waits are recorded by an instant clock instead of slept.
public sealed class PipelineTests
{
    private const string Incidents = "{\"value\":[{\"id\":\"1\",\"status\":\"active\"}]}";
    private const string Hunting = "{\"schema\":[{\"name\":\"A\",\"type\":\"String\"}],\"results\":[{\"A\":\"x\"}]}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_429_waits_the_retry_after_seconds_then_succeeds()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(
            () => FakeHandler.Status(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(7)),
            () => FakeHandler.Json(HttpStatusCode.OK, Incidents)));

        var incidents = await fake.Client.ListIncidentsAsync(new IncidentFilter(), 5, Ct);

        Assert.Single(incidents);
        Assert.Equal(2, fake.Handler.Sent.Count);
        Assert.Equal([TimeSpan.FromSeconds(7)], fake.Time.Waits);
    }

    [Fact]
    public async Task A_429_with_an_http_date_waits_until_that_date()
    {
        using var dated = new FakeClient(FakeHandler.Sequence(
            () => FakeHandler.Status(HttpStatusCode.TooManyRequests, retryAt: new DateTimeOffset(2026, 11, 22, 12, 0, 12, TimeSpan.Zero)),
            () => FakeHandler.Json(HttpStatusCode.OK, Incidents)));

        await dated.Client.ListIncidentsAsync(new IncidentFilter(), 5, Ct);

        Assert.Equal([TimeSpan.FromSeconds(12)], dated.Time.Waits);
    }

    [Fact]
    public async Task A_retry_after_beyond_the_per_wait_cap_fails_at_once_with_the_wait()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Status(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(61))));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.ListIncidentsAsync(new IncidentFilter(), 5, Ct));

        Assert.Equal("rate_limited", error.CodeName);
        Assert.Equal(TimeSpan.FromSeconds(61), error.RetryAfter);
        Assert.Equal(429, error.HttpStatus);
        Assert.Single(fake.Handler.Sent);
        Assert.Empty(fake.Time.Waits);
    }

    [Fact]
    public async Task Retry_after_waits_stop_at_the_total_cap()
    {
        // 50 s each: two waits (100 s) fit in 120 s, a third would not. A call bound above both, so that only the
        // total cap stops the waits (with the default 50 s bound, the first wait would not fit: see the next test).
        using var fake = new FakeClient(
            FakeHandler.Sequence(() => FakeHandler.Status(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(50))),
            o => o with { Retry = o.Retry with { CallTimeout = TimeSpan.FromSeconds(600), RequestTimeout = TimeSpan.FromSeconds(600) } });

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.ListIncidentsAsync(new IncidentFilter(), 5, Ct));

        Assert.Equal(DefenderErrorCode.RateLimited, error.Code);
        Assert.Equal(TimeSpan.FromSeconds(50), error.RetryAfter);
        Assert.Equal(3, fake.Handler.Sent.Count);
        Assert.Equal([TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(50)], fake.Time.Waits);
    }

    [Fact]
    public async Task A_retry_after_that_outlasts_the_call_bound_fails_at_once_as_rate_limited_not_as_a_timeout()
    {
        // 50 s fits the per-wait (60 s) and total (120 s) caps, but not the default 50 s call bound.
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Status(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(50))));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.ListIncidentsAsync(new IncidentFilter(), 5, Ct));

        Assert.Equal(DefenderErrorCode.RateLimited, error.Code);
        Assert.Equal(TimeSpan.FromSeconds(50), error.RetryAfter);
        Assert.Single(fake.Handler.Sent);
        Assert.Empty(fake.Time.Waits);
    }

    [Fact]
    public async Task A_429_on_a_write_is_retried_because_it_was_not_processed()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(
            () => FakeHandler.Status(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(1)),
            () => FakeHandler.Json(HttpStatusCode.Created, "{\"id\":\"a1\",\"type\":\"Isolate\",\"status\":\"Pending\"}")));

        var action = await fake.Client.SendAsync(fake.Client.RequestMachineAction("m1", MachineActionKind.Isolate, "contain", "Full"), Ct);

        Assert.Equal("a1", action.Id);
        Assert.Equal(2, fake.Handler.Sent.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task A_5xx_on_a_read_is_tried_three_times_with_growing_jittered_backoff(HttpStatusCode status)
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Status(status)));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.GetAlertAsync("a1", Ct));

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.Equal((int)status, error.HttpStatus);
        Assert.Equal(3, fake.Handler.Sent.Count);
        var waits = fake.Time.Waits;
        Assert.Equal(2, waits.Count);
        Assert.InRange(waits[0].TotalMilliseconds, 100, 300);
        Assert.InRange(waits[1].TotalMilliseconds, 200, 600);
        Assert.DoesNotContain("secret-looking", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_5xx_whose_retry_after_outlasts_the_call_bound_fails_at_once_as_upstream_error_not_as_a_timeout()
    {
        // 30 s fits the per-wait cap (60 s) but not a 10 s call bound: waiting it out would end in a timeout saying
        // Defender did not answer, though it did.
        using var fake = new FakeClient(
            FakeHandler.Sequence(() => FakeHandler.Status(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30))),
            o => o with { Retry = o.Retry with { CallTimeout = TimeSpan.FromSeconds(10), RequestTimeout = TimeSpan.FromSeconds(10) } });

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.GetAlertAsync("a1", Ct));

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.Equal(503, error.HttpStatus);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Single(fake.Handler.Sent);
        Assert.Empty(fake.Time.Waits);
    }

    [Fact]
    public async Task A_5xx_whose_retry_after_fits_the_call_bound_is_waited_out()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(
            () => FakeHandler.Status(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5)),
            () => FakeHandler.Json(HttpStatusCode.OK, Incidents)));

        var incidents = await fake.Client.ListIncidentsAsync(new IncidentFilter(), 5, Ct);

        Assert.Single(incidents);
        Assert.Equal([TimeSpan.FromSeconds(5)], fake.Time.Waits);
    }

    [Fact]
    public async Task Hunting_is_a_post_but_a_read_so_a_5xx_is_retried()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(
            () => FakeHandler.Status(HttpStatusCode.GatewayTimeout),
            () => FakeHandler.Json(HttpStatusCode.OK, Hunting)));

        var result = await fake.Client.RunHuntingQueryAsync("DeviceInfo | take 1", "P1D", Ct);

        Assert.Single(result.Rows);
        Assert.All(fake.Handler.Sent, r => Assert.Equal("POST", r.Method));
        Assert.Equal(2, fake.Handler.Sent.Count);
        Assert.Equal("{\"Query\":\"DeviceInfo | take 1\",\"Timespan\":\"P1D\"}", fake.Handler.Sent[0].Body);
    }

    [Fact]
    public async Task A_write_is_never_retried_after_a_5xx()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Status(HttpStatusCode.ServiceUnavailable)));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.SendAsync(fake.Client.RequestMachineAction("m1", MachineActionKind.Isolate, "contain", "Full"), Ct));

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.Single(fake.Handler.Sent);
    }

    [Fact]
    public async Task A_timed_out_read_is_retried_and_then_reported_as_timeout()
    {
        using var fake = new FakeClient(
            new FakeHandler(async (_, _, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("unreachable");
            }),
            o => o with { Retry = new DefenderRetryOptions { RequestTimeout = TimeSpan.FromMilliseconds(30), BaseDelay = TimeSpan.FromMilliseconds(1) } });

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.GetMachineAsync("m1", Ct));

        Assert.Equal(DefenderErrorCode.Timeout, error.Code);
        Assert.Equal(3, fake.Handler.Sent.Count);
    }

    [Fact]
    public async Task A_timed_out_write_is_not_retried()
    {
        using var fake = new FakeClient(
            new FakeHandler(async (_, _, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("unreachable");
            }),
            o => o with { Retry = new DefenderRetryOptions { RequestTimeout = TimeSpan.FromMilliseconds(30) } });

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.SendAsync(fake.Client.RequestMachineAction("m1", MachineActionKind.Release, "done"), Ct));

        Assert.Equal(DefenderErrorCode.Timeout, error.Code);
        Assert.Single(fake.Handler.Sent);
    }

    [Fact]
    public async Task A_caller_cancellation_is_not_a_timeout_and_is_not_retried()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var fake = new FakeClient(new FakeHandler(async (_, _, ct) =>
        {
            await cts.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        }));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fake.Client.GetMachineAsync("m1", cts.Token));

        Assert.Single(fake.Handler.Sent);
    }

    [Fact]
    public async Task A_401_is_retried_once_with_a_fresh_token()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(
            () => FakeHandler.Status(HttpStatusCode.Unauthorized),
            () => FakeHandler.Json(HttpStatusCode.OK, Incidents)));

        await fake.Client.ListIncidentsAsync(new IncidentFilter(), 5, Ct);

        Assert.Equal(["t1", "t2"], fake.Handler.Sent.Select(r => r.Token));
    }

    [Fact]
    public async Task A_second_401_is_auth_failure()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Status(HttpStatusCode.Unauthorized)));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.ListIncidentsAsync(new IncidentFilter(), 5, Ct));

        Assert.Equal("auth_failure", error.CodeName);
        Assert.Equal(2, fake.Handler.Sent.Count);
        Assert.Equal(2, fake.Credential.Issued);
    }

    [Fact]
    public async Task Tokens_are_cached_per_scope()
    {
        using var fake = new FakeClient(new FakeHandler((r, _, _) => Task.FromResult(r.RequestUri!.Host.StartsWith("graph", StringComparison.Ordinal)
            ? FakeHandler.Json(HttpStatusCode.OK, Incidents)
            : FakeHandler.Json(HttpStatusCode.OK, "{\"id\":\"m1\"}"))));

        await fake.Client.ListIncidentsAsync(new IncidentFilter(), 5, Ct);
        await fake.Client.ListIncidentsAsync(new IncidentFilter(), 5, Ct);
        await fake.Client.GetMachineAsync("m1", Ct);
        await fake.Client.GetMachineAsync("m1", Ct);

        Assert.Equal(2, fake.Credential.Issued);
        Assert.Equal(["t1", "t1", "t2", "t2"], fake.Handler.Sent.Select(r => r.Token));
    }

    [Fact]
    public async Task An_unreachable_service_is_upstream_error_after_the_read_retries()
    {
        using var fake = new FakeClient(new FakeHandler((_, _, _) => throw new HttpRequestException("connection refused")));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.GetIncidentAsync("1", Ct));

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.Equal(3, fake.Handler.Sent.Count);
    }

    [Fact]
    public async Task Hunting_leaves_out_a_missing_timespan_and_refuses_an_empty_query()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, Hunting)));

        await fake.Client.RunHuntingQueryAsync("DeviceInfo", null, Ct);
        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.RunHuntingQueryAsync("  ", null, Ct));

        Assert.Equal("{\"Query\":\"DeviceInfo\"}", Assert.Single(fake.Handler.Sent).Body);
        Assert.Equal(DefenderErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public async Task Tokens_are_refreshed_before_they_expire()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, "{\"id\":\"m1\"}")));

        await fake.Client.GetMachineAsync("m1", Ct);
        fake.Time.Now += TimeSpan.FromMinutes(50);
        await fake.Client.GetMachineAsync("m1", Ct);
        fake.Time.Now += TimeSpan.FromMinutes(6);
        await fake.Client.GetMachineAsync("m1", Ct);

        Assert.Equal(["t1", "t1", "t2"], fake.Handler.Sent.Select(r => r.Token));
    }

    [Fact]
    public async Task A_connection_that_breaks_inside_the_body_is_upstream_error()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new BrokenStream()) }));

        var hunting = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.RunHuntingQueryAsync("DeviceInfo", null, Ct));
        var list = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.ListIncidentsAsync(new IncidentFilter(), 5, Ct));
        var write = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.SendAsync(fake.Client.RequestMachineAction("m1", MachineActionKind.Release, "c"), Ct));

        Assert.All([hunting, list, write], e => Assert.Equal(DefenderErrorCode.UpstreamError, e.Code));
    }

    [Fact]
    public async Task Requests_carry_a_user_agent_one_client_request_id_per_operation_and_graph_asks_for_new_enum_members()
    {
        using var fake = new FakeClient(new FakeHandler((r, n, _) => Task.FromResult(r.RequestUri!.Host.StartsWith("graph", StringComparison.Ordinal) && n == 0
            ? FakeHandler.Status(HttpStatusCode.ServiceUnavailable)
            : FakeHandler.Json(HttpStatusCode.OK, r.RequestUri.Host.StartsWith("graph", StringComparison.Ordinal) ? Incidents : "{\"id\":\"m1\"}"))));

        await fake.Client.ListIncidentsAsync(new IncidentFilter(), 5, Ct);
        await fake.Client.GetMachineAsync("m1", Ct);

        var sent = fake.Handler.Sent;
        Assert.Equal(3, sent.Count);
        Assert.All(sent, r => Assert.StartsWith("DefenderMcp/", r.Headers["User-Agent"], StringComparison.Ordinal));
        Assert.Equal(sent[0].Headers["client-request-id"], sent[1].Headers["client-request-id"]);
        Assert.NotEqual(sent[1].Headers["client-request-id"], sent[2].Headers["client-request-id"]);
        Assert.Equal("include-unknown-enum-members", sent[0].Headers["Prefer"]);
        Assert.False(sent[2].Headers.ContainsKey("Prefer"));
    }

    [Fact]
    public async Task Errors_carry_the_service_request_id_but_not_in_the_message()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() =>
        {
            var response = FakeHandler.Status(HttpStatusCode.NotFound);
            response.Headers.Add("request-id", "b354c428-0000-4000-8000-000000000001");
            return response;
        }));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.GetIncidentAsync("9", Ct));

        Assert.Equal(DefenderErrorCode.NotFound, error.Code);
        Assert.Equal("b354c428-0000-4000-8000-000000000001", error.RequestId);
        Assert.DoesNotContain("b354c428", error.Message, StringComparison.Ordinal);
    }

    private sealed class BrokenStream : MemoryStream
    {
        public BrokenStream()
            : base(System.Text.Encoding.UTF8.GetBytes("{\"value\":["))
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Position < Length ? base.Read(buffer, offset, count) : throw new IOException("connection reset");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("connection reset");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Position < Length ? base.ReadAsync(buffer, offset, count, cancellationToken) : throw new IOException("connection reset");
    }
}
