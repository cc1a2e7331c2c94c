using System.Text;
using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Emulator.Control;

/// <summary>
/// The <c>oversized</c> fault body: a JSON list that never closes, streamed chunked with no Content-Length, so only a
/// cap the client holds while reading can stop it. It ends after <see cref="Bytes"/> (over the client's 32 MB page cap)
/// as malformed JSON, so a client without that cap fails another way rather than hanging; a client that stops reading
/// ends it early, quietly.
/// </summary>
public static class OversizedBody
{
    /// <summary>How many bytes the body has when the client reads it all.</summary>
    public const int Bytes = 40 * 1024 * 1024;

    private static readonly byte[] Start = "{\"value\":["u8.ToArray();

    // 64 KiB of list items: "0,0,0,...".
    private static readonly byte[] Chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0,", 32 * 1024)));

    /// <summary>Writes the body (the status is the caller's).</summary>
    public static async Task WriteAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.ContentType = "application/json";
        response.ContentLength = null;
        try
        {
            await response.Body.WriteAsync(Start, cancellationToken).ConfigureAwait(false);
            for (var sent = Start.Length; sent < Bytes; sent += Chunk.Length)
            {
                await response.Body.WriteAsync(Chunk, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client stopped reading: what the fault is for.
        }
    }
}
