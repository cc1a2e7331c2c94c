using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Mcp;

/// <summary>
/// Turns a result body into the MCP result: serialized once into one UTF-8 buffer that becomes both the text block
/// and the structured content, so the two can never differ and the result is not serialized twice.
/// </summary>
public static class ToolResults
{
    private const int KeptBufferBytes = 1024 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = ToolJson.Options.Encoder, SkipValidation = true };

    // One buffer per thread, reused: the text and the structured content are copied out of it before it is reset, and
    // nothing in Create awaits. A buffer that grew past KeptBufferBytes is dropped rather than kept.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The result of a call that succeeded.</summary>
    public static CallToolResult Success(JsonObject body) => Create(body, isError: false, int.MaxValue, out _);

    /// <summary>
    /// The result of a call that succeeded; a fan-out whose JSON passes <paramref name="fanOutByteBudget"/> leaves out
    /// whole tenants past it (<see cref="FanOutEnvelope.LeaveOutBeyond"/>), named in <paramref name="leftOutTenants"/>.
    /// Measured on the bytes written anyway, so a result within the budget costs nothing more.
    /// </summary>
    public static CallToolResult Success(JsonObject body, int fanOutByteBudget, out IReadOnlyList<string> leftOutTenants) =>
        Create(body, isError: false, fanOutByteBudget, out leftOutTenants);

    /// <summary>The error result <c>{"error":{"code","message","retry_after"?}}</c>.</summary>
    public static CallToolResult Error(string code, string message, TimeSpan? retryAfter) =>
        Create(new JsonObject { ["error"] = ErrorObject(code, message, retryAfter) }, isError: true, int.MaxValue, out _);

    /// <summary>The error object <c>{"code","message","retry_after"?}</c> of a tool error and of a fan-out's tenant.</summary>
    public static JsonObject ErrorObject(string code, string message, TimeSpan? retryAfter)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (retryAfter is { } wait)
        {
            error["retry_after"] = (int)Math.Ceiling(wait.TotalSeconds);
        }

        return error;
    }

    private static CallToolResult Create(JsonObject body, bool isError, int fanOutByteBudget, out IReadOnlyList<string> leftOutTenants)
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(16 * 1024);
        t_buffer = null;
        try
        {
            Write(body, buffer);
            leftOutTenants = [];
            if (buffer.WrittenCount > fanOutByteBudget && FanOutEnvelope.IsEnvelope(body))
            {
                leftOutTenants = FanOutEnvelope.LeaveOutBeyond(body, fanOutByteBudget);
                if (leftOutTenants.Count > 0)
                {
                    buffer.ResetWrittenCount();
                    Write(body, buffer);
                }
            }

            var json = buffer.WrittenSpan;
            return new CallToolResult
            {
                IsError = isError ? true : null,
                Content = [new TextContentBlock { Text = Encoding.UTF8.GetString(json) }],
                // Parse copies the bytes and reads them once; ParseValue would read them twice (a skip to find the
                // value's end, then the parse), which for a large result is most of this method's time.
                StructuredContent = JsonElement.Parse(json),
            };
        }
        finally
        {
            if (buffer.Capacity <= KeptBufferBytes)
            {
                buffer.ResetWrittenCount();
                t_buffer = buffer;
            }
        }
    }

    private static void Write(JsonObject body, ArrayBufferWriter<byte> buffer)
    {
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        body.WriteTo(writer, ToolJson.Options);
    }
}
