using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Tells whether a sessionless POST asks to initialize a session, for the one place that must know before the SDK reads
/// the body: the session cap, whose 429 ("close a session") is wrong advice for a request that opens none (the SDK
/// answers that one 400, "initialize first").
/// </summary>
public static class InitializeProbe
{
    /// <summary>
    /// True when the request's body could open a session: a JSON object with a <c>method</c> of <c>initialize</c>, or
    /// any body this reader cannot take apart (so a doubtful request still counts against the cap). The body is
    /// buffered and rewound for the SDK; its size is already capped by Kestrel's request body limit.
    /// </summary>
    public static async Task<bool> MayOpenSessionAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.EnableBuffering();
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        request.Body.Position = 0;
        return MayOpenSession(body.GetBuffer().AsSpan(0, (int)body.Length));
    }

    /// <summary>
    /// True unless <paramref name="json"/> is plainly not an initialize request: a JSON object none of whose top-level
    /// <c>method</c> members (a duplicated name included) is the string <c>initialize</c>, or JSON that is not an object, or
    /// an empty body (the SDK refuses each without a session).
    /// </summary>
    public static bool MayOpenSession(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMethod = reader.ValueTextEquals("method"u8);
                reader.Read();
                if (isMethod && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("initialize"u8))
                {
                    return true;
                }

                reader.Skip();
            }

            return false;
        }
        catch (JsonException)
        {
            return true;
        }
    }
}
