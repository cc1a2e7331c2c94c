using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Hosting.Http;
using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Tests.Http;

/// <summary>
/// The HTTP answers' quote escapes (<see cref="QuoteUnescapingStream"/>): <c>\u0022</c> becomes <c>\"</c>, every other
/// escape stays as it was, an escape cut by a write boundary is joined, and the JSON reads the same.
/// </summary>
public sealed class QuoteUnescapingStreamTests
{
    // Written as the SDK writes a message: System.Text.Json's default encoder, quotes as \u0022.
    private static readonly string SdkJson = JsonSerializer.Serialize(new JsonObject
    {
        ["text"] = """{"alerts":[{"title":"Run \"x\" & <y> 'z' + `w`","path":"C:\\Users\\u0022not-an-escape\\","é":"été 🙂","ctl":"a\tb\nc\u2028"}]}""",
        ["backslash_then_u0022"] = "\\u0022",
        ["ends_with_backslash"] = "tail\\",
        ["quote"] = "\"",
    });

    [Fact]
    public void Quotes_become_json_escapes_and_nothing_else_changes()
    {
        var written = Through("text/event-stream", null, Encoding.UTF8.GetBytes(SdkJson));

        Assert.Contains("\\u0022", SdkJson, StringComparison.Ordinal);
        // Only the two texts "\u0022" after an escaped backslash (in the path and in its own value) are left: every
        // real quote escape became \".
        Assert.Equal(2, Occurrences(written, "\\u0022").Count);
        Assert.Equal(Occurrences(SdkJson, "\\u0022").Count - 2, Occurrences(written, "\\\"").Count - Occurrences(SdkJson, "\\\"").Count);
        // The escaped backslash before the text "u0022" is not read as an escape.
        Assert.Contains("\"backslash_then_u0022\":\"\\\\u0022\"", written, StringComparison.Ordinal);
        // HTML-sensitive characters, non-ASCII text and control characters stay escaped as the SDK wrote them.
        Assert.Contains("\\u0026", written, StringComparison.Ordinal);
        Assert.Contains("\\u003C", written, StringComparison.Ordinal);
        Assert.Contains("\\u0027", written, StringComparison.Ordinal);
        Assert.Contains("\\u2028", written, StringComparison.Ordinal);
        Assert.Contains("\\n", written, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SdkJson), JsonNode.Parse(written)));
    }

    [Fact]
    public void An_escape_cut_by_any_write_boundary_is_joined()
    {
        var bytes = Encoding.UTF8.GetBytes(SdkJson);
        var whole = Through("text/event-stream", null, bytes);

        for (var cut = 1; cut < bytes.Length; cut++)
        {
            Assert.Equal(whole, Through("text/event-stream", null, bytes[..cut], bytes[cut..]));
        }

        // One byte per write.
        Assert.Equal(whole, Through("text/event-stream", null, [.. bytes.Select(b => new[] { b })]));
    }

    [Fact]
    public void An_escape_left_incomplete_at_the_end_is_written_as_it_was()
    {
        Assert.Equal("data: x\\u002", Through("text/event-stream", null, Encoding.UTF8.GetBytes("data: x\\u002")));
        Assert.Equal("a\\", Through("text/event-stream", null, Encoding.UTF8.GetBytes("a\\")));
    }

    [Theory]
    [InlineData("text/plain", null)]
    [InlineData("application/octet-stream", null)]
    [InlineData(null, null)]
    [InlineData("application/json", 42L)]
    public void Other_answers_and_answers_with_a_declared_length_pass_untouched(string? contentType, long? length)
    {
        Assert.Equal(SdkJson, Through(contentType, length, Encoding.UTF8.GetBytes(SdkJson)));
    }

    [Fact]
    public void A_json_answer_is_rewritten_too()
    {
        Assert.Equal("{\"a\":\"\\\"\"}", Through("application/json; charset=utf-8", null, Encoding.UTF8.GetBytes("{\"a\":\"\\u0022\"}")));
    }

    private static List<int> Occurrences(string text, string part)
    {
        var found = new List<int>();
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            found.Add(at);
        }

        return found;
    }

    private static string Through(string? contentType, long? length, params byte[][] writes)
    {
        var context = new DefaultHttpContext();
        context.Response.ContentType = contentType;
        context.Response.ContentLength = length;
        using var sink = new MemoryStream();
        using var stream = new QuoteUnescapingStream(context.Response, sink);
        foreach (var write in writes)
        {
            stream.Write(write, 0, write.Length);
        }

        stream.WritePendingAsync(CancellationToken.None).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(sink.ToArray());
    }
}
