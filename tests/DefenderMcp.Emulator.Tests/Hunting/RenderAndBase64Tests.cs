using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;

namespace DefenderMcp.Emulator.Tests.Hunting;

/// <summary><c>render</c> (read and dropped: the API returns rows, not charts) and the base64 string functions.</summary>
public sealed class RenderAndBase64Tests
{
    [Theory]
    [InlineData(" | render columnchart")]
    [InlineData(" | render timechart with (title='Processes', ycolumns=count_, ysplit=panels)")]
    [InlineData(" | render table;")]
    public void Render_returns_the_rows_unchanged(string render)
    {
        const string Query = "Proc | summarize count() by Device | sort by Device asc";

        var plain = Run(Query);
        var rendered = Run(Query + render);

        Assert.Equal(Names(plain), Names(rendered));
        Assert.Equal(plain.Rows.Select(r => string.Join("|", r)), rendered.Rows.Select(r => string.Join("|", r)));
        Assert.Equal(3, rendered.Rows.Count);
    }

    [Theory]
    [InlineData("Proc | render barchart | take 1", "'render' must be the last operator")]
    [InlineData("Proc | render sparkles", "unknown visualization 'sparkles'")]
    [InlineData("Proc | render", "expected a visualization after 'render'")]
    [InlineData("Proc | render piechart with (title='x'", "unexpected end of the query")]
    public void Bad_render_is_named(string query, string message) =>
        Assert.Contains(message, Fails(query).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("X = base64_decode_tostring('S3VzdG8=')", "Kusto")]
    [InlineData("X = base64_decodestring('S3VzdG8=')", "Kusto")]
    [InlineData("X = base64_encode_tostring('Kusto')", "S3VzdG8=")]
    [InlineData("X = base64_encodestring(Device)", "cGMx")]
    [InlineData("X = base64_decode_tostring(base64_encode_tostring(Cmd))", "powershell -enc AAA")]
    [InlineData("X = replace_string(base64_decode_tostring('dwBoAG8AYQBtAGkA'), '\\u0000', '')", "whoami")]
    public void Base64_functions(string projection, string expected)
    {
        var result = Run($"Proc | where Device == 'pc1' and Admin | project {projection}");

        Assert.Equal("string", TypeOf(result, "X"));
        Assert.Equal(expected, Single(result, "X"));
    }

    [Theory]
    [InlineData("'U3RyaW5n0KHR0tGA0L7Rh9C60LA='")]
    [InlineData("'not base64!'")]
    [InlineData("Cmd")]
    public void Base64_that_is_not_utf8_or_not_base64_decodes_to_null(string argument) =>
        Assert.Null(Single(Run($"Proc | where Device == 'pc1' and Admin | project X = base64_decode_tostring({argument})"), "X"));

    [Fact]
    public void Base64_functions_take_one_argument() =>
        Assert.Contains("Function 'base64_decode_tostring' expects 1 argument(s), got 2", Fails("Proc | project base64_decode_tostring(Cmd, Cmd)").Message, StringComparison.Ordinal);
}
