using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Hosting.Stdio;

/// <summary>
/// The SDK's stream transport, writing each message with JSON's own escaping only: a quote inside a string as <c>\"</c>
/// instead of the web-safe <c>\u0022</c>, and text outside ASCII as UTF-8. A result's text block holds the same JSON as
/// its structured content, so that escaping made it half again as long (a 10-row hunt: 73 KB on the wire, now 61 KB),
/// for both ends to write and read. Same framing as the SDK's (one message per line, flushed), same message bytes to
/// any JSON parser; nothing of a message is logged.
/// Unlike the SDK's, it goes on writing after standard input ends: the session still finishes the requests it already
/// read, and a client that writes its requests and closes its input (<c>printf … | defender-mcp</c>) gets their
/// answers instead of silence. A request to the client after that fails at once, since no answer could arrive.
/// </summary>
internal sealed class CompactStreamServerTransport(Stream input, Stream output, string serverName, ILoggerFactory? loggerFactory)
    : StreamServerTransport(input, output, serverName, loggerFactory)
{
    /// <summary>A kept buffer larger than this is dropped after its message, so one large result does not stay resident.</summary>
    private const int KeptBufferBytes = 1 << 20;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonTypeInfo<JsonRpcMessage> MessageInfo = (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    private readonly Stream _output = output;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private volatile bool _disposed;

    /// <summary>Writes <paramref name="message"/> as one line, as it goes out (also the start-up prefetch's rehearsal of it).</summary>
    internal static void WriteLine(IBufferWriter<byte> buffer, JsonRpcMessage message)
    {
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            JsonSerializer.Serialize(writer, message, MessageInfo);
        }

        buffer.Write("\n"u8);
    }

    /// <inheritdoc />
    public override async Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_disposed)
        {
            return;
        }

        if (!IsConnected && message is JsonRpcRequest)
        {
            // Input ended (the base marks the transport disconnected then): the client's answer could never be read.
            throw new ClientInputEndedException();
        }

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _buffer.ResetWrittenCount();
            WriteLine(_buffer, message);
            await _output.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not IOException)
        {
            // As the SDK's transport reports a failed send: its callers expect an IOException.
            throw new IOException("Failed to send message.", ex);
        }
        finally
        {
            if (_buffer.Capacity > KeptBufferBytes)
            {
                _buffer = new ArrayBufferWriter<byte>(16 * 1024);
            }

            _sendLock.Release();
        }
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        // Before the base closes the output: a late answer is dropped, as the SDK's transport drops it.
        _disposed = true;
        return base.DisposeAsync();
    }
}
