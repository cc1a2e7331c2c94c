using System.Text;
using System.Text.Json;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Client;
using DefenderMcp.Mcp;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Hunting;

/// <summary>
/// The hunting tools' cheaper serialization (source-generated record, rows as nodes over their elements, one parse per
/// page) writes exactly the bytes the general path (reflection over the whole record with <see cref="ToolJson"/>)
/// writes: the same property order, names, nulls and escaping, for rows with awkward strings and nested values.
/// </summary>
public sealed class HuntingJsonTests
{
    private static readonly string[] RawRows =
    [
        """{"Timestamp":"2026-11-30T10:00:00Z","DeviceName":"ws-01","ProcessCommandLine":"cmd.exe /c \"echo <a&b> 'x' + y\" \u0026 \u00e9t\u00e9 \\\\share","FileSize":123,"Extra":{"k":[1,2.5,null,true]},"Empty":null}""",
        """{ "Timestamp" : "2026-11-30T11:00:00Z", "DeviceName" : "ws-02\ttab\u0001ctl", "ProcessCommandLine" : "Ünïcödé 日本 🙂", "FileSize" : -1e3, "Extra" : [], "Empty" : "" }""",
        """{"Timestamp":"2026-11-30T12:00:00Z","DeviceName":"</script>","ProcessCommandLine":"","FileSize":0,"Extra":{},"Empty":false}""",
    ];

    private static HuntingResult Result() => new(
        [new HuntingColumn("Timestamp", "DateTime"), new HuntingColumn("DeviceName", "String"), new HuntingColumn("ProcessCommandLine", "String"), new HuntingColumn("FileSize", "Long"), new HuntingColumn("Extra", "Dynamic"), new HuntingColumn("Empty", "String")],
        [.. RawRows.Select(r => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(r))],
        4096);

    // The serialization the tools used before: the whole record through the reflection resolver.
    private static string General<T>(T value) => Text(ToolResults.Success(JsonSerializer.SerializeToNode(value, ToolJson.Options)!.AsObject()));

    private static string Text(CallToolResult result) => ((TextContentBlock)result.Content[0]).Text;

    [Theory]
    [InlineData(100, null)]
    [InlineData(2, "max_rows")]
    [InlineData(0, "max_rows")]
    public void A_hunt_result_is_written_byte_for_byte_as_before(int maxRows, string? reason)
    {
        var result = Result();
        var page = RowPager.Page(result, 0, maxRows, null, 1 << 20);
        var output = new HuntingQueryOutput(
            "contoso", "P1D", [.. result.Schema.Select(c => new HuntingColumnOutput(c.Name, c.Type))], page.Rows, result.Rows.Count, page.Rows.Count,
            page.Rows.Count < result.Rows.Count, reason, ["No time filter: \"Timestamp > ago(1d)\" & <more>"], [], result.BodyBytes, null, new HuntingMetadata(3, 6, "P1D"));

        var fast = ToolResults.Success(HuntingJson.ToNode(output));
        var expected = General(output);

        Assert.Equal(expected, Text(fast));
        Assert.Equal(expected, fast.StructuredContent!.Value.GetRawText());
        Assert.Equal(page.Rows.Count, fast.StructuredContent.Value.GetProperty("rows").GetArrayLength());
        Assert.Contains("\"result_id\":null", expected, StringComparison.Ordinal);
    }

    [Fact]
    public void A_projected_page_is_written_byte_for_byte_as_before()
    {
        var result = Result();
        var page = RowPager.Page(result, 1, 5, ["ProcessCommandLine", "Extra"], 1 << 20);
        var output = new HuntingPageOutput("contoso", "hr_abcdefghijkl", [.. page.Columns.Select(c => new HuntingColumnOutput(c.Name, c.Type))], page.Rows, page.Offset, page.Rows.Count, page.Total, page.NextOffset, page.StoppedByBudget, [.. page.Skipped.Select(r => r.Offset)], ["Row 0 \"x\" & <y>"], "DeviceProcessEvents | where X == \"&\"");

        var fast = Text(ToolResults.Success(HuntingJson.ToNode(output)));

        Assert.Equal(General(output), fast);
        Assert.Contains("\"rows\":[{\"ProcessCommandLine\":\"Ünïcödé 日本 \\uD83D\\uDE42\",\"Extra\":[]},{\"ProcessCommandLine\":\"\",\"Extra\":{}}]", fast, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_holds_only_the_rows_that_fit_the_byte_budget()
    {
        var result = Result();
        var budget = 2 + RawRows[0].Length + 1 + Encoding.UTF8.GetByteCount(RawRows[1]);

        var page = RowPager.Page(result, 0, 100, null, budget);

        Assert.Equal(2, page.Rows.Count);
        Assert.True(page.StoppedByBudget);
        Assert.Equal("ws-02\ttab\u0001ctl", page.Rows[1].GetProperty("DeviceName").GetString());
    }

    [Theory]
    [InlineData("{\"A\":1}],[{\"B\":2}")]
    [InlineData("{\"A\":1},{\"B\":2}")]
    public void A_row_that_is_not_one_JSON_value_is_refused(string row)
    {
        var result = new HuntingResult([new HuntingColumn("A", "Int32")], [Encoding.UTF8.GetBytes(row)], 64);

        Assert.ThrowsAny<JsonException>(() => RowPager.Page(result, 0, 10, null, 1 << 20));
    }
}
