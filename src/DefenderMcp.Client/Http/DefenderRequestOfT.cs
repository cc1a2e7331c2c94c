using System.Text.Json;

namespace DefenderMcp.Client.Http;

/// <summary>
/// A built request together with the reader of its response: what a dry run previews, a person confirms, and
/// <see cref="DefenderClient.SendAsync{T}(DefenderRequest{T}, CancellationToken)"/> sends and reads as <typeparamref name="T"/>.
/// </summary>
/// <typeparam name="T">What the response is read as.</typeparam>
/// <param name="Request">The exact request.</param>
/// <param name="Read">Reads the response body (null when the service answered with no body, e.g. 204).</param>
public sealed record DefenderRequest<T>(DefenderRequest Request, Func<JsonElement?, T> Read)
{
    /// <summary>The dry-run view: exactly the method, URL and body that sending would use.</summary>
    public DefenderRequestPreview ToPreview() => Request.ToPreview();
}
