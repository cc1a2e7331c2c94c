using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using DefenderMcp.Client.Auth;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace DefenderMcp.Client.Http;

/// <summary>
/// Sends API calls: bearer token; 429 retried honouring Retry-After within per-wait and total caps; 5xx and timeouts
/// retried only for reads, with jittered exponential backoff; 401 retried once after a token refresh. Each attempt is
/// bounded by <see cref="DefenderRetryOptions.RequestTimeout"/> on <paramref name="timeouts"/> (the system clock unless
/// a test drives it).
/// </summary>
public sealed class DefenderPipeline(HttpClient http, TokenCache tokens, DefenderEndpoints endpoints, DefenderRetryOptions retry, TimeProvider time, ILogger logger, DefenderRateLimits? limits = null, TimeProvider? timeouts = null, string? tenantKey = null, IRateWindowStore? rateWindows = null)
{
    private static readonly ResiliencePropertyKey<AttemptState> StateKey = new("defender.attempt-state");
    private readonly TimeProvider _timeouts = timeouts ?? TimeProvider.System;
    private static readonly string UserAgent = "DefenderMcp/" + (typeof(DefenderPipeline).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
    private readonly RateLimiter _limiter = new(limits ?? DefenderRateLimits.None, time, rateWindows);

    // Built once per logger and retry settings and shared by every tenant's client: building validates the options by
    // reflection, which cost more than the retry logic itself when it was done per call, and again per tenant in a
    // cold fan-out. The pipeline holds no tenant state: each call's state rides on its resilience context.
    private static readonly ConditionalWeakTable<ILogger, ConcurrentDictionary<DefenderRetryOptions, ResiliencePipeline<HttpResponseMessage>>> SharedResilience = new();
    private readonly ResiliencePipeline<HttpResponseMessage> _resilience = ResilienceFor(retry, time, logger);

    /// <summary>The retry pipeline (tests: tenants' clients share one).</summary>
    internal ResiliencePipeline<HttpResponseMessage> Resilience => _resilience;

    /// <summary>Sends <paramref name="request"/>; returns a successful response (headers read, body unread) or throws <see cref="DefenderApiException"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(DefenderRequest request, CancellationToken cancellationToken)
    {
        var state = new AttemptState(request) { Started = time.GetTimestamp(), Bound = CallBound.Current };
        using var span = StartSpan(request);
        var outcome = "error";
        try
        {
            HttpResponseMessage response;
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            try
            {
                context.Properties.Set(StateKey, state);
                response = await _resilience.ExecuteAsync(
                    static (ctx, self) => new ValueTask<HttpResponseMessage>(self.SendOnceAsync(ctx.Properties.GetValue(StateKey, null!), ctx.CancellationToken)),
                    context,
                    this).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                outcome = "timeout";
                var tries = state.TransientAttempts + 1;
                throw new DefenderApiException(
                    DefenderErrorCode.Timeout,
                    $"Defender did not answer within {CallDeadline.Seconds(retry.RequestTimeout)} s on {(tries == 1 ? "the only attempt" : $"each of {tries} attempts")}.",
                    advice: CallDeadline.Advice);
            }
            catch (OperationCanceledException)
            {
                outcome = "cancelled";
                throw;
            }
            catch (HttpRequestException ex)
            {
                outcome = "unreachable";
                throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The Defender service could not be reached.", inner: ex);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }

            var status = (int)response.StatusCode;
            span?.SetTag("http.response.status_code", status);
            outcome = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (response.IsSuccessStatusCode)
            {
                span?.SetStatus(ActivityStatusCode.Ok);
                return response;
            }

            using (response)
            {
                throw await ErrorMapper.ToExceptionAsync(request, response, state.LastRetryAfter, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DefenderApiException ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.CodeName);
            span?.SetTag("error.type", ex.CodeName);
            throw;
        }
        finally
        {
            var retries = state.TransientAttempts + state.RateLimitRetries + (state.Refreshed ? 1 : 0);
            span?.SetTag("defender.retries", retries);
            var tags = new TagList
            {
                { "defender.tenant", tenantKey },
                { "defender.api", ApiName(request.Api) },
                { "defender.operation", request.Family.Key },
                { "defender.outcome", outcome },
            };
            DefenderTelemetry.Requests.Add(1, tags);
            DefenderTelemetry.Duration.Record(time.GetElapsedTime(state.Started).TotalSeconds, tags);
            if (retries > 0)
            {
                DefenderTelemetry.Retries.Add(retries, tags);
            }
        }
    }

    /// <summary>
    /// Builds and drops one retry pipeline as a tenant's first call builds its own, so that Polly's option checks
    /// (DataAnnotations, by reflection) and their code are ready before that call: the idle warm-up calls it.
    /// </summary>
    public static void PrepareResilience() => _ = BuildResilience(new DefenderRetryOptions(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    private static ResiliencePipeline<HttpResponseMessage> ResilienceFor(DefenderRetryOptions retry, TimeProvider time, ILogger logger) =>
        time == TimeProvider.System
            ? SharedResilience.GetValue(logger, static _ => new()).GetOrAdd(retry, static (r, state) => BuildResilience(r, state.time, state.logger), (time, logger))
            : BuildResilience(retry, time, logger); // a test's own clock: a pipeline of its own

    private static ResiliencePipeline<HttpResponseMessage> BuildResilience(DefenderRetryOptions retry, TimeProvider time, ILogger logger) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 50,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(retry, time, args.Context.Properties.GetValue(StateKey, null!), args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Context.Properties.GetValue(StateKey, null!).NextDelay),
                OnRetry = args =>
                {
                    // Method, path (no query: it can hold filter values) and status only; never headers or bodies.
                    var request = args.Context.Properties.GetValue(StateKey, null!).Request;
                    PipelineLog.Retrying(logger, request.Method.Method, request.Url.AbsolutePath, (int?)args.Outcome.Result?.StatusCode ?? 0, args.Outcome.Exception?.GetType().Name, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .Build();

    /// <summary>One client span per call (retries inside it); null when nobody listens, so the cost is one check.</summary>
    private Activity? StartSpan(DefenderRequest request)
    {
        var span = DefenderTelemetry.Source.StartActivity($"{request.Method.Method} {request.Family.Key}", ActivityKind.Client);
        if (span is null)
        {
            return null;
        }

        // The path only: the query can hold filter values a user typed. No header, token or body ever goes on a span.
        span.SetTag("defender.tenant", tenantKey);
        span.SetTag("defender.api", ApiName(request.Api));
        span.SetTag("defender.operation", request.Family.Key);
        span.SetTag("defender.operation.kind", request.Kind == OperationKind.Read ? "read" : "write");
        span.SetTag("http.request.method", request.Method.Method);
        span.SetTag("server.address", request.Url.Host);
        span.SetTag("url.path", request.Url.AbsolutePath);
        return span;
    }

    private static string ApiName(DefenderApi api) => api == DefenderApi.Graph ? "graph" : "mde";

    private async Task<HttpResponseMessage> SendOnceAsync(AttemptState state, CancellationToken cancellationToken)
    {
        var request = state.Request;
        // Every attempt, retries included, is a call against the quota.
        await _limiter.AcquireAsync(request, TimeLeft(retry, time, state), cancellationToken).ConfigureAwait(false);
        TokenLookahead.Notice(request.Api);
        var scope = endpoints.ScopeFor(request.Api);
        var token = await tokens.GetAsync(scope, state.ForceRefresh, cancellationToken).ConfigureAwait(false);
        state.ForceRefresh = false;
        using var message = new HttpRequestMessage(request.Method, request.Url);
        message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        message.Headers.Accept.ParseAdd("application/json");
        message.Headers.UserAgent.ParseAdd(UserAgent);
        message.Headers.TryAddWithoutValidation("client-request-id", state.ClientRequestId);
        if (request.Api == DefenderApi.Graph)
        {
            // Without it, newer enum members (incident status awaitingAction, many detection sources) read as unknownFutureValue.
            message.Headers.TryAddWithoutValidation("Prefer", "include-unknown-enum-members");
        }

        if (request.JsonBody is not null)
        {
            message.Content = new StringContent(request.JsonBody, Encoding.UTF8, "application/json");
        }
        else if (request.Form is not null)
        {
            message.Content = request.Form.ToContent();
        }

        using var attempt = new CancellationTokenSource(retry.RequestTimeout, _timeouts);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attempt.Token);
        var started = time.GetTimestamp();
        var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        PipelineLog.Sent(logger, request.Method.Method, request.Url.AbsolutePath, (int)response.StatusCode, time.GetElapsedTime(started).TotalMilliseconds);
        return response;
    }


    private static bool ShouldRetry(DefenderRetryOptions retry, TimeProvider time, AttemptState state, Outcome<HttpResponseMessage> outcome, CancellationToken callerToken)
    {
        var request = state.Request;
        if (callerToken.IsCancellationRequested)
        {
            return false;
        }

        if (outcome.Exception is not null)
        {
            var transient = outcome.Exception is HttpRequestException or OperationCanceledException;
            // No answer came (a failed connection, an attempt timed out): the retry goes ahead and the call's own bound
            // ends it with the timeout that says so. Only an answer (a 5xx) is returned at once when its wait does not fit.
            return transient && TransientRetry(retry, request, state, null, TimeSpan.MaxValue);
        }

        var response = outcome.Result!;
        var retryAfter = ReadRetryAfter(time, response);
        state.LastRetryAfter = retryAfter;
        switch (response.StatusCode)
        {
            case HttpStatusCode.TooManyRequests:
                // Not processed, so safe to resend, reads and writes alike; only within the caps.
                var wait = retryAfter ?? TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(state.RateLimitRetries, 5)));
                // A wait that would outlast the call's bound ends in a timeout that says Defender "did not answer":
                // answer rate_limited with the wait as retry_after instead.
                if (wait > retry.MaxRetryAfterWait || state.TotalRetryAfter + wait > retry.MaxTotalRetryAfterWait || wait >= TimeLeft(retry, time, state))
                {
                    state.LastRetryAfter = wait;
                    return false;
                }

                state.RateLimitRetries++;
                state.TotalRetryAfter += wait;
                state.NextDelay = wait;
                return true;
            case HttpStatusCode.Unauthorized when !state.Refreshed:
                state.Refreshed = true;
                state.ForceRefresh = true;
                state.NextDelay = TimeSpan.Zero;
                return true;
            case >= HttpStatusCode.InternalServerError:
                return TransientRetry(retry, request, state, retryAfter, TimeLeft(retry, time, state));
            default:
                return false;
        }
    }

    /// <summary>
    /// What is left of the call's bound (<see cref="DefenderRetryOptions.CallTimeout"/>): counted from the start of the
    /// client call or of its <see cref="CallBound"/> scope (earlier pages and calls included), else from the first attempt.
    /// </summary>
    private static TimeSpan TimeLeft(DefenderRetryOptions retry, TimeProvider time, AttemptState state) =>
        state.Bound?.Left(retry.CallTimeout) ?? retry.CallTimeout - time.GetElapsedTime(state.Started);

    private static bool TransientRetry(DefenderRetryOptions retry, DefenderRequest request, AttemptState state, TimeSpan? retryAfter, TimeSpan timeLeft)
    {
        if (request.Kind != OperationKind.Read || state.TransientAttempts + 1 >= retry.MaxTransientAttempts)
        {
            return false;
        }

        var backoff = retry.BaseDelay * Math.Pow(2, state.TransientAttempts);
        var jitter = backoff * (0.5 + Random.Shared.NextDouble());
        var delay = retryAfter is { } ra && ra <= retry.MaxRetryAfterWait ? ra : jitter;

        // A wait the call's bound cuts short would end in a timeout saying Defender "did not answer", though it did:
        // the service's own answer (upstream_error, with its Retry-After as retry_after) is returned at once instead.
        if (delay >= timeLeft)
        {
            return false;
        }

        state.TransientAttempts++;
        state.NextDelay = delay;
        return true;
    }

    private static TimeSpan? ReadRetryAfter(TimeProvider time, HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private sealed class AttemptState(DefenderRequest request)
    {
        public DefenderRequest Request { get; } = request;

        public string ClientRequestId { get; } = Guid.NewGuid().ToString();

        /// <summary>When the request's first attempt began (a timestamp of the pipeline's clock).</summary>
        public long Started { get; init; }

        /// <summary>The clock of the client call (or scope) this request is part of; null when sent outside one.</summary>
        public CallClock? Bound { get; init; }

        public int TransientAttempts { get; set; }

        public int RateLimitRetries { get; set; }

        public TimeSpan TotalRetryAfter { get; set; }

        public TimeSpan NextDelay { get; set; }

        public TimeSpan? LastRetryAfter { get; set; }

        public bool Refreshed { get; set; }

        public bool ForceRefresh { get; set; }
    }
}
