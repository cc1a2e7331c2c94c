using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// The <c>id</c> of the JSON-RPC request in a POST body, for an error this server answers before the SDK reads the
/// request: JSON-RPC asks an error to carry the id of the request it answers, so a client can match the two.
/// </summary>
public static class JsonRpcRequestId
{
    /// <summary>
    /// The id (a string or number), or null when the body is not one JSON-RPC request with an id (a notification, a
    /// response to the server's own request, a batch, or not JSON).
    /// </summary>
    public static async Task<JsonNode?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.EnableBuffering();
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
            var body = document.RootElement;
            return body.ValueKind == JsonValueKind.Object && body.TryGetProperty("method", out _) &&
                body.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? JsonNode.Parse(id.GetRawText())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}
