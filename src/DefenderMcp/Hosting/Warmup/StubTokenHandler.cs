using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace DefenderMcp.Hosting.Warmup;

/// <summary>
/// The only transport the warm-up's credential ever sends through: it answers an Entra token request with a canned,
/// well-formed token response and anything else with a 404, in process. Nothing reaches a socket, DNS or a real
/// authority, whatever the credential asks for.
/// </summary>
internal sealed class StubTokenHandler : HttpMessageHandler
{
    /// <summary>The made-up access token handed back; opaque to MSAL, never sent anywhere.</summary>
    internal const string CannedToken = "warm-up-token-not-valid-anywhere";

    private static readonly byte[] TokenBody = Encoding.UTF8.GetBytes(
        $$"""{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"{{CannedToken}}"}""");

    private static readonly byte[] NotFoundBody = Encoding.UTF8.GetBytes("""{"error":"invalid_request","error_description":"warm-up stub"}""");

    private int _tokenRequests;
    private int _otherRequests;

    /// <summary>Token requests answered (the warm-up expects exactly one per credential).</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>Any other request (answered 404).</summary>
    public int OtherRequests => Volatile.Read(ref _otherRequests);

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Answer later, as a socket does: every awaiting frame above (MSAL, Azure.Core, our token cache) then suspends
        // and resumes, so its async state machine is boxed and compiled now rather than in the first real call.
        await Task.Yield();
        var isToken = request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal) == true;
        if (request.Content is not null)
        {
            // Read the form as the real transport would send it (same buffering path), then drop it.
            _ = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref isToken ? ref _tokenRequests : ref _otherRequests);
        var content = new ByteArrayContent(isToken ? TokenBody : NotFoundBody);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return new HttpResponseMessage(isToken ? HttpStatusCode.OK : HttpStatusCode.NotFound) { Content = content, RequestMessage = request };
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(request, cancellationToken).GetAwaiter().GetResult();
}
