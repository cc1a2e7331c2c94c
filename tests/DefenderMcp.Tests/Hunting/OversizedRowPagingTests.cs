using System.Text.Json;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Hunting;

// A row bigger than the byte budget: the first page was empty with no notice, and every get_hunting_results page
// answered next_offset = offset with no rows, so a client following next_offset never stopped.
public sealed class OversizedRowPagingTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string BigRow = "DeviceProcessEvents | summarize l=make_list(FolderPath, 100000), m=make_list(SHA256, 100000) by ActionType";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string[] Notices(JsonElement output) => [.. output.GetProperty("notices").EnumerateArray().Select(n => n.GetString()!)];

    [Fact]
    public async Task A_row_over_the_budget_is_skipped_with_a_notice_and_paging_ends()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var first = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = BigRow, ["timespan"] = "P30D" });
        var id = first.GetProperty("result_id").GetString()!;

        var page = await server.CallOkAsync("get_hunting_results", new() { ["result_id"] = id, ["offset"] = 0 });
        var one = await server.CallOkAsync("get_hunting_results", new() { ["result_id"] = id, ["offset"] = 0, ["limit"] = 1 });

        Assert.Equal((1, 0, "byte_budget"), (first.GetProperty("row_count").GetInt32(), first.GetProperty("returned_rows").GetInt32(), first.GetProperty("truncation_reason").GetString()));
        var notice = Assert.Single(Notices(first));
        Assert.StartsWith("Row 0 alone is ", notice, StringComparison.Ordinal);
        Assert.Contains($"defender://results/{id}", notice, StringComparison.Ordinal);
        Assert.Contains("'columns'", notice, StringComparison.Ordinal);
        foreach (var p in new[] { page, one })
        {
            Assert.Equal(JsonValueKind.Null, p.GetProperty("next_offset").ValueKind);
            Assert.Equal([0], p.GetProperty("skipped_rows").EnumerateArray().Select(r => r.GetInt32()));
            Assert.StartsWith("Row 0 alone is ", Assert.Single(Notices(p)), StringComparison.Ordinal);
        }

        // The way the notice names reads it: the whole result holds the row.
        var whole = await server.Client.ReadResourceAsync($"defender://results/{id}", cancellationToken: Ct);
        Assert.Contains("\"rows\":[{", ((ModelContextProtocol.Protocol.TextResourceContents)whole.Contents[0]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rows_after_an_oversized_first_row_are_returned_and_named_where_they_start()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var first = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "union (DeviceProcessEvents | summarize l=make_list(FolderPath, 100000) by ActionType), (DeviceInfo | take 5 | project DeviceName)", ["timespan"] = "P30D" });
        var id = first.GetProperty("result_id").GetString();

        var page = await server.CallOkAsync("get_hunting_results", new() { ["result_id"] = id });

        Assert.Equal((6, 5), (first.GetProperty("row_count").GetInt32(), first.GetProperty("returned_rows").GetInt32()));
        Assert.Contains("the rows returned start at offset 1; no rows follow.", Assert.Single(Notices(first)), StringComparison.Ordinal);
        Assert.Equal((0, 5, JsonValueKind.Null), (page.GetProperty("offset").GetInt32(), page.GetProperty("returned_rows").GetInt32(), page.GetProperty("next_offset").ValueKind));
        Assert.Equal([0], page.GetProperty("skipped_rows").EnumerateArray().Select(r => r.GetInt32()));
    }

    [Fact]
    public async Task A_page_that_skips_nothing_has_no_notice_and_no_skipped_rows()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var first = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | take 3" });

        var page = await server.CallOkAsync("get_hunting_results", new() { ["result_id"] = first.GetProperty("result_id").GetString() });

        Assert.Empty(Notices(first));
        Assert.Empty(Notices(page));
        Assert.Empty(page.GetProperty("skipped_rows").EnumerateArray());
    }
}
