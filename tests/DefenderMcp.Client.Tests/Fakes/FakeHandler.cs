using System.Net;
using System.Text;

namespace DefenderMcp.Client.Tests.Fakes;

/// <summary>An HTTP transport that answers from a script and records what was sent.</summary>
public sealed class FakeHandler(Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private readonly List<SentRequest> _sent = [];

    public IReadOnlyList<SentRequest> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>Answers the n-th request (0-based) with the n-th response; the last one repeats.</summary>
    public static FakeHandler Sequence(params Func<HttpResponseMessage>[] responses) =>
        new((_, n, _) => Task.FromResult(responses[Math.Min(n, responses.Length - 1)]()));

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Status(HttpStatusCode status, TimeSpan? retryAfter = null, DateTimeOffset? retryAt = null)
    {
        var response = Json(status, "{\"error\":{\"code\":\"" + status + "\",\"message\":\"secret-looking upstream text\"}}");
        if (retryAfter is { } delta)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delta);
        }

        if (retryAt is { } date)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(date);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        int n;
        lock (_sent)
        {
            n = _sent.Count;
            _sent.Add(new SentRequest(request.Method.Method, request.RequestUri!, request.Headers.Authorization?.Parameter, body, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase)));
        }

        return await respond(request, n, cancellationToken);
    }
}
