using System.Text;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Client;

namespace DefenderMcp.Tests.Hunting;

// A row bigger than the byte budget could never be returned, and its page answered next_offset = offset with no rows:
// a client following next_offset never stopped. A page now skips such a leading row, names it, and always moves on.
public sealed class RowPagerTests
{
    private static HuntingResult Result(params int[] sizes) => new(
        [new HuntingColumn("I", "Int32"), new HuntingColumn("Pad", "String")],
        [.. sizes.Select((size, i) => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes($"{{\"I\":{i},\"Pad\":\"{new string('x', size)}\"}}"))],
        1024);

    private static int[] Ids(RowPage page) => [.. page.Rows.Select(r => r.GetProperty("I").GetInt32())];

    [Fact]
    public void A_row_alone_over_the_budget_is_skipped_and_the_page_ends_the_result()
    {
        var page = RowPager.Page(Result(5000), 0, 100, null, 1000);

        Assert.Empty(page.Rows);
        Assert.Equal([0], page.Skipped.Select(s => s.Offset));
        Assert.True(page.Skipped[0].Bytes > 5000);
        Assert.Null(page.NextOffset);
    }

    [Fact]
    public void The_rows_after_a_skipped_one_are_returned_in_the_same_page()
    {
        var page = RowPager.Page(Result(5000, 10, 10, 10), 0, 100, null, 1000);

        Assert.Equal([1, 2, 3], Ids(page));
        Assert.Equal([0], page.Skipped.Select(s => s.Offset));
        Assert.Null(page.NextOffset);
        Assert.False(page.StoppedByBudget);
    }

    [Fact]
    public void A_skipped_row_counts_toward_the_limit_and_the_next_page_moves_past_it()
    {
        var page = RowPager.Page(Result(5000, 10, 10), 0, 1, null, 1000);

        Assert.Empty(page.Rows);
        Assert.Equal([0], page.Skipped.Select(s => s.Offset));
        Assert.Equal(1, page.NextOffset);
    }

    [Fact]
    public void An_oversized_row_after_returned_ones_ends_the_page_and_is_skipped_by_the_next()
    {
        var result = Result(10, 5000, 10);

        var first = RowPager.Page(result, 0, 100, null, 1000);
        var second = RowPager.Page(result, first.NextOffset!.Value, 100, null, 1000);

        Assert.Equal([0], Ids(first));
        Assert.Equal((1, true), (first.NextOffset, first.StoppedByBudget));
        Assert.Empty(first.Skipped);
        Assert.Equal([2], Ids(second));
        Assert.Null(second.NextOffset);
        Assert.Equal([1], second.Skipped.Select(s => s.Offset));
    }

    [Fact]
    public void A_projection_that_fits_returns_the_row_instead_of_skipping_it()
    {
        var page = RowPager.Page(Result(5000), 0, 100, ["I"], 1000);

        Assert.Equal([0], Ids(page));
        Assert.Empty(page.Skipped);
    }

    // Whatever the sizes, budget and limit, following next_offset ends, and every row is returned or skipped once.
    [Theory]
    [InlineData(1000, 1)]
    [InlineData(1000, 2)]
    [InlineData(1000, 100)]
    [InlineData(60, 3)]
    [InlineData(10, 100)]
    public void Following_next_offset_always_ends_having_seen_every_row_once(int budget, int limit)
    {
        var result = Result(5000, 5000, 10, 400, 900, 5000, 10, 10, 2000, 10);
        var seen = new List<int>();
        int? offset = 0;
        var pages = 0;
        while (offset is { } o)
        {
            var page = RowPager.Page(result, o, limit, null, budget);
            Assert.True(page.Rows.Count + page.Skipped.Count > 0, $"page at {o} made no progress");
            Assert.NotEqual(o, page.NextOffset);
            seen.AddRange(page.Skipped.Select(s => s.Offset));
            seen.AddRange(Ids(page));
            offset = page.NextOffset;
            Assert.True(++pages <= result.Rows.Count);
        }

        Assert.Equal(Enumerable.Range(0, result.Rows.Count), seen);
    }
}
