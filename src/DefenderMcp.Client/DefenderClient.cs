using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Client.Auth;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DefenderMcp.Client;

/// <summary>
/// Typed client of one tenant's Graph security and Defender for Endpoint APIs, and the only owner of their wire facts
/// (paths, bodies, enums, value checks, app roles, rate families). One partial per area. Reads are <c>*Async</c>
/// methods; writes are built as <see cref="DefenderRequest{T}"/> (previewable, confirmable) and sent with
/// <see cref="SendAsync{T}"/>. Every method takes a <see cref="CancellationToken"/> and throws only
/// <see cref="DefenderApiException"/> for service problems.
/// </summary>
public sealed partial class DefenderClient : IDisposable
{
    private const int MaxPageBody = 32 * 1024 * 1024;
    private readonly HttpClient _http;
    private readonly DefenderPipeline _pipeline;
    private readonly TokenCache _tokens;
    private readonly TimeProvider _timeouts;

    private DefenderClient(DefenderTenantOptions options, HttpMessageHandler handler, Azure.Core.TokenCredential? credential, TimeProvider time, ILoggerFactory? loggerFactory, TimeProvider? timeouts = null, bool ownsHandler = true, IRateWindowStore? rateWindows = null)
    {
        Options = options;
        _timeouts = timeouts ?? TimeProvider.System;
        _http = new HttpClient(handler, disposeHandler: ownsHandler) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            _tokens = new TokenCache(credential is null ? CredentialFactory.CreateFactory(options, handler) : () => credential, time);
        }
        catch
        {
            _http.Dispose();
            throw;
        }

        // The factory's own logger of the category (CreateLogger<T> would wrap it anew for each tenant): one instance
        // for every tenant's client, so they share one retry pipeline (see DefenderPipeline).
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(typeof(DefenderClient).FullName!);
        _pipeline = new DefenderPipeline(_http, _tokens, options.Endpoints, options.Retry, time, logger, options.RateLimits, _timeouts, options.TenantKey ?? options.TenantId, rateWindows);
    }

    /// <summary>The tenant's options.</summary>
    public DefenderTenantOptions Options { get; }

    /// <summary>The largest body read as one JSON document (tests lower it so an oversized body stays small).</summary>
    internal long MaxBodyBytes { get; set; } = MaxPageBody;

    /// <summary>The largest hunting response read (tests lower it, as <see cref="MaxBodyBytes"/>).</summary>
    internal long MaxHuntingBodyBytes { get; set; } = HuntingResponseReader.MaxBodyBytes;

    /// <summary>Gets this tenant's token for <paramref name="api"/> ahead of a call (see <see cref="TokenLookahead"/>).</summary>
    internal Task PrefetchTokenAsync(DefenderApi api, CancellationToken cancellationToken) =>
        _tokens.PrefetchAsync(Options.Endpoints.ScopeFor(api), cancellationToken);

    /// <summary>The HTTP pipeline (tests).</summary>
    internal DefenderPipeline Pipeline => _pipeline;

    /// <summary>Creates a client with its own connection pool and credential.</summary>
    public static DefenderClient Create(DefenderTenantOptions options, ILoggerFactory? loggerFactory = null) =>
        new(options, TlsTrust.CreateHandler(options.TrustedCertificatePemPath), null, TimeProvider.System, loggerFactory);

    /// <summary>
    /// Creates a client that sends through <paramref name="connections"/>, the pools shared by every tenant of a host
    /// (disposing the client leaves them open); <paramref name="rateWindows"/> counts its rate limits (in this process
    /// when null; a store shared by a cluster of servers otherwise).
    /// </summary>
    public static DefenderClient Create(DefenderTenantOptions options, SharedConnections connections, ILoggerFactory? loggerFactory = null, IRateWindowStore? rateWindows = null)
    {
        ArgumentNullException.ThrowIfNull(connections);
        return new(options, connections.For(options.TrustedCertificatePemPath), null, TimeProvider.System, loggerFactory, ownsHandler: false, rateWindows: rateWindows);
    }

    /// <summary>
    /// A client over a given handler, credential and clock (unit tests: fake transport, no real waits);
    /// <paramref name="timeouts"/> drives the attempt and call deadlines (the system clock when null).
    /// </summary>
    internal static DefenderClient CreateForTests(DefenderTenantOptions options, HttpMessageHandler handler, Azure.Core.TokenCredential credential, TimeProvider time, TimeProvider? timeouts = null) =>
        new(options, handler, credential, time, null, timeouts);

    /// <summary>
    /// Sends a built request once (a write is never retried after a 5xx or a timeout) and reads its response as
    /// <typeparamref name="T"/>. The only way to send a write: the same request is what a dry run previews.
    /// </summary>
    public async Task<T> SendAsync<T>(DefenderRequest<T> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Read(await SendAsync(request.Request, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Sends a built request; returns the response body (null when empty, e.g. 204).</summary>
    internal Task<JsonElement?> SendAsync(DefenderRequest request, CancellationToken cancellationToken) =>
        BoundedAsync(ct => SendUnboundedAsync(request, ct), cancellationToken);

    /// <summary>
    /// Runs one client call within <see cref="DefenderRetryOptions.CallTimeout"/>: pages, retries and body reads
    /// included; inside a <see cref="CallBound"/> scope, within what the scope's earlier calls left of it. The deadline
    /// becomes a <c>timeout</c> error; the caller's own cancellation stays a cancellation.
    /// </summary>
    private async Task<T> BoundedAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        // Outside a scope the call is one of its own, so the pipeline's retry waits count from this call's start.
        using var own = CallBound.Current is null ? CallBound.Begin() : null;
        using var deadline = new CallDeadline(Options.Retry, _timeouts, CallBound.Current!, cancellationToken);
        try
        {
            return await call(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline.Expired)
        {
            throw ex is EntraNoAnswerException ? deadline.EntraTimeout() : deadline.Timeout();
        }
        catch (DefenderApiException ex) when (deadline.Expired && ex.Code is DefenderErrorCode.Timeout or DefenderErrorCode.UpstreamError)
        {
            // A body read or a connection broken by the deadline's cancellation: the deadline is the real cause.
            throw deadline.Timeout();
        }
    }

    private async Task<JsonElement?> SendUnboundedAsync(DefenderRequest request, CancellationToken cancellationToken)
    {
        using var response = await _pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var doc = await ReadDocumentAsync(response, allowEmpty: true, cancellationToken).ConfigureAwait(false);
        return doc?.RootElement.Clone();
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>Sends a raw request through the pipeline (for tests of the retry rules).</summary>
    internal Task<int> SendForStatusAsync(DefenderRequest request, CancellationToken cancellationToken) =>
        BoundedAsync(
            async ct =>
            {
                using var response = await _pipeline.SendAsync(request, ct).ConfigureAwait(false);
                return (int)response.StatusCode;
            },
            cancellationToken);

    /// <summary>The Graph URL for <paramref name="path"/> (for tests).</summary>
    internal Uri GraphUrl(string path) => Graph(path);

    /// <summary>Escapes a path id, refusing anything that could change the URL's shape.</summary>
    internal static string Id(string id)
    {
        if (!IsPathId(id))
        {
            throw new DefenderApiException(
                DefenderErrorCode.InvalidInput,
                $"The id or name is not valid: it must be 1 to {Parsing.ModelReader.MaxIdLength} characters without '..', '/', '\\', '?', '#', '%', '&' or control characters, as the list tools return it.");
        }

        return Uri.EscapeDataString(id);
    }

    /// <summary>
    /// Whether <paramref name="id"/> can go into a path without changing the URL's shape: the readers hold upstream ids
    /// to the same rule, so an id read from Defender never comes back as the caller's invalid input.
    /// </summary>
    public static bool IsPathId(string id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= Parsing.ModelReader.MaxIdLength && !id.Contains("..", StringComparison.Ordinal) &&
        id.IndexOfAny(['/', '\\', '?', '#', '%', '&']) < 0 && !id.Any(char.IsControl);

    private Uri Graph(string path, params (string Name, string? Value)[] query) => Build(Options.Endpoints.GraphRoot, path, query);

    private Uri Mde(string path, params (string Name, string? Value)[] query) => Build(Options.Endpoints.MdeRoot, path, query);

    private static Uri Build(Uri root, string path, (string Name, string? Value)[] query)
    {
        var builder = new StringBuilder(new Uri(root, path).AbsoluteUri);
        var first = true;
        foreach (var (name, value) in query)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(first ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }

        return new Uri(builder.ToString());
    }

    /// <summary>A typed write: built here, previewed or confirmed by the caller, sent by <see cref="SendAsync{T}"/>.</summary>
    private static DefenderRequest<T> Write<T>(HttpMethod method, Uri url, DefenderApi api, JsonNode? body, string role, RateFamily family, Func<JsonElement?, T> read) =>
        new(new DefenderRequest(method, url, api, OperationKind.Write, body?.ToJsonString(), role, family), read);

    /// <summary>A reader for a response that must have a body.</summary>
    private static Func<JsonElement?, T> Body<T>(Func<JsonElement, T> read) =>
        body => body is { } e ? read(e) : throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The Defender service returned an empty response.");

    private Task<JsonElement> GetObjectAsync(Uri url, DefenderApi api, string role, RateFamily family, CancellationToken cancellationToken) =>
        BoundedAsync(
            async ct =>
            {
                using var doc = await GetDocumentAsync(new DefenderRequest(HttpMethod.Get, url, api, OperationKind.Read, null, role, family), ct).ConfigureAwait(false);
                return doc.RootElement.Clone();
            },
            cancellationToken);

    private async Task<JsonDocument> GetDocumentAsync(DefenderRequest request, CancellationToken cancellationToken)
    {
        using var response = await _pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return (await ReadDocumentAsync(response, allowEmpty: false, cancellationToken).ConfigureAwait(false))!;
    }

    // Parses the body under MaxBodyBytes, which holds while the bytes arrive (a chunked body declares no length, and
    // a declared one is checked before reading). Null for an empty body when allowEmpty (a write's 204); the caller
    // disposes the response, which drops the connection of a body left unread.
    private async Task<JsonDocument?> ReadDocumentAsync(HttpResponseMessage response, bool allowEmpty, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxBodyBytes)
        {
            throw CappedBodyStream.TooLarge(MaxBodyBytes);
        }

        if (allowEmpty && response.Content.Headers.ContentLength == 0)
        {
            return null;
        }

        try
        {
            await using var body = new CappedBodyStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), MaxBodyBytes);
            try
            {
                return await JsonDocument.ParseAsync(body, default, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException) when (allowEmpty && body.BytesRead == 0)
            {
                return null;
            }
        }
        catch (JsonException ex)
        {
            throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The Defender service returned malformed JSON.", inner: ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw BodyFailed(ex);
        }
    }

    // The connection broke while the body was read: the caller may retry a read; a write's outcome is unknown.
    private static DefenderApiException BodyFailed(Exception inner) =>
        new(DefenderErrorCode.UpstreamError, "The connection to Defender failed while the response was read.", inner: inner);

    /// <summary>A Graph list: pages of <c>$top</c>, following <c>@odata.nextLink</c> on the same host (<see cref="PageLinks"/>).</summary>
    // Incidents and alerts_v2 list alike: newest first (the service's order), a page of $top, $filter on status and
    // severity plus one more clause when given.
    private Task<IReadOnlyList<T>> ListTriagedAsync<T>(string path, string? status, string? severity, string? more, string role, int limit, Func<JsonElement, T> map, CancellationToken cancellationToken)
    {
        var clauses = ODataFilter.And([
            status is null ? null : ODataFilter.EqToken("status", status),
            severity is null ? null : ODataFilter.EqToken("severity", severity),
            more,
        ]);
        return ListGraphAsync(Graph(path, ("$top", Invariant(Math.Min(limit, Options.PageSize))), ("$filter", clauses)), role, limit, map, cancellationToken);
    }

    private Task<IReadOnlyList<T>> ListGraphAsync<T>(Uri first, string role, int limit, Func<JsonElement, T> map, CancellationToken cancellationToken) =>
        BoundedAsync(ct => ListGraphPagesAsync(first, role, limit, map, ct), cancellationToken);

    private async Task<IReadOnlyList<T>> ListGraphPagesAsync<T>(Uri first, string role, int limit, Func<JsonElement, T> map, CancellationToken cancellationToken)
    {
        var items = new List<T>(0);
        var root = Options.Endpoints.GraphRoot;
        var links = new PageLinks(first);
        Uri? next = first;
        while (next is not null && items.Count < limit)
        {
            using var doc = await GetDocumentAsync(new DefenderRequest(HttpMethod.Get, next, DefenderApi.Graph, OperationKind.Read, null, role, RateFamily.Graph), cancellationToken).ConfigureAwait(false);
            var page = ReadValue(doc);
            Reserve(items, page, limit);
            foreach (var item in page.EnumerateArray())
            {
                if (items.Count >= limit)
                {
                    break;
                }

                items.Add(map(item));
            }

            next = links.Next(ModelReader.Str(doc.RootElement, "@odata.nextLink") is { } link ? SameOrigin(link, root) : null, page.GetArrayLength());
        }

        return items;
    }

    /// <summary>
    /// An MDE list: pages of <c>$top</c>/<c>$skip</c> (at most <see cref="DefenderTenantOptions.MdePageSize"/>), ending on a
    /// short page, and <c>@odata.nextLink</c> followed when the service sends one (<see cref="PageLinks"/>).
    /// </summary>
    /// <remarks><paramref name="maxTop"/> is the API's own <c>$top</c> ceiling when it is below the page size (vulnerabilities: 8,000).</remarks>
    /// <remarks><paramref name="skip"/> items of the collection are passed over first (<c>$skip</c>), for a caller that pages.</remarks>
    private Task<IReadOnlyList<T>> ListMdeAsync<T>(string path, string? filter, string role, int limit, Func<JsonElement, T> map, CancellationToken cancellationToken, int maxTop = int.MaxValue, int skip = 0) =>
        BoundedAsync(ct => ListMdePagesAsync(path, filter, role, limit, map, Math.Min(maxTop, Options.MdePageSize), skip, ct), cancellationToken);

    private async Task<IReadOnlyList<T>> ListMdePagesAsync<T>(string path, string? filter, string role, int limit, Func<JsonElement, T> map, int pageSize, int skip, CancellationToken cancellationToken)
    {
        var family = RateFamily.Mde(path["api/".Length..]);
        var items = new List<T>(0);
        var root = Options.Endpoints.MdeRoot;
        var received = skip;
        int? asked = Math.Min(limit, pageSize);
        Uri? next = Mde(path, ("$top", Invariant(asked.Value)), ("$skip", skip > 0 ? Invariant(skip) : null), ("$filter", filter));
        var links = new PageLinks(next);
        while (next is not null && items.Count < limit)
        {
            using var doc = await GetDocumentAsync(new DefenderRequest(HttpMethod.Get, next, DefenderApi.Mde, OperationKind.Read, null, role, family), cancellationToken).ConfigureAwait(false);
            var page = ReadValue(doc);
            received += page.GetArrayLength();
            Reserve(items, page, limit);
            foreach (var item in page.EnumerateArray())
            {
                if (items.Count >= limit)
                {
                    break;
                }

                items.Add(map(item));
            }

            if (ModelReader.Str(doc.RootElement, "@odata.nextLink") is { } link)
            {
                next = links.Next(SameOrigin(link, root), page.GetArrayLength());
                asked = null;
            }
            else if (asked is { } top && page.GetArrayLength() >= top && items.Count < limit)
            {
                asked = Math.Min(limit - items.Count, pageSize);
                next = Mde(path, ("$top", Invariant(asked.Value)), ("$skip", Invariant(received)), ("$filter", filter));
            }
            else
            {
                next = null;
            }
        }

        return items;
    }

    // Sizes the list once per page to exactly what the page can add (at most the limit), instead of doubling and
    // copying as items arrive.
    private static void Reserve<T>(List<T> items, JsonElement page, int limit)
    {
        var needed = Math.Min(limit, items.Count + page.GetArrayLength());
        if (items.Capacity < needed)
        {
            items.Capacity = needed;
        }
    }

    // A list the service returns whole (no documented $top or $filter: entity pivots, per-device and per-CVE vulnerability
    // lists): one bounded body, its 'value' cut at the caller's limit.
    private Task<IReadOnlyList<T>> ReadListAsync<T>(Uri url, string role, RateFamily family, int limit, Func<JsonElement, T> map, CancellationToken cancellationToken) =>
        BoundedAsync(
            async ct =>
            {
                if (limit < 1)
                {
                    throw new DefenderApiException(DefenderErrorCode.InvalidInput, "The limit must be at least 1.");
                }

                using var doc = await GetDocumentAsync(new DefenderRequest(HttpMethod.Get, url, DefenderApi.Mde, OperationKind.Read, null, role, family), ct).ConfigureAwait(false);
                return (IReadOnlyList<T>)[.. ReadValue(doc).EnumerateArray().Take(limit).Select(map)];
            },
            cancellationToken);

    private static JsonElement ReadValue(JsonDocument doc) =>
        doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array
            ? value
            : throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The Defender service returned a list without 'value'.");

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static Uri SameOrigin(string link, Uri root)
    {
        // Paging links are followed only to the host we were configured for.
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme != root.Scheme ||
            !string.Equals(uri.Host, root.Host, StringComparison.OrdinalIgnoreCase) || uri.Port != root.Port)
        {
            throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The Defender service returned a paging link to another host; paging stopped.");
        }

        return uri;
    }
}
