namespace DefenderMcp.Client.Http;

/// <summary>
/// Puts every response body under a byte cap held while it is read (<see cref="CappedBodyStream"/>): for the traffic
/// of the Azure SDKs (Entra tokens, managed identity, Key Vault), which buffer a whole body with no limit of their own,
/// so an endless or oversized answer fails at the cap instead of filling memory.
/// </summary>
internal sealed class CappedResponseHandler(HttpMessageHandler inner, long cap) : DelegatingHandler(inner)
{
    /// <summary>The cap on Azure SDK answers: a token, an identity or a certificate with its chain is far smaller.</summary>
    public const long AzureSdkCap = 4 * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.Content = new CappedContent(response.Content, cap);
        return response;
    }
}
