using DefenderMcp.Emulator.Hunting;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class LargeTableTests
{
    private const int RowCount = 100_000;
    private static readonly DateTime Now = new(2026, 1, 10, 12, 0, 0, DateTimeKind.Utc);

    private static Dictionary<string, HuntingTable> Big()
    {
        var columns = new List<HuntingColumnSchema> { new("Timestamp", "datetime"), new("Id", "long") };
        columns.AddRange(Enumerable.Range(2, 18).Select(i => new HuntingColumnSchema($"C{i}", "string")));
        var table = new HuntingTable("Big", columns);
        for (var r = 0; r < RowCount; r++)
        {
            var row = new object?[20];
            row[0] = Now.AddSeconds(-r);
            row[1] = (long)r;
            for (var c = 2; c < 20; c++)
            {
                row[c] = $"v{(r + c) % 50}";
            }

            table.Rows.Add(row);
        }

        return new Dictionary<string, HuntingTable> { ["Big"] = table };
    }

    [Fact]
    public void Shapes_a_hundred_thousand_rows_by_twenty_columns()
    {
        var tables = Big();
        var columns = string.Join(", ", tables["Big"].Columns.Select(c => c.Name));

        var result = HuntingEngine.Execute($"Big | project {columns} | take 100000", tables, Now.AddDays(-30), Now);

        Assert.Equal(RowCount, result.Rows.Count);
        Assert.Equal(20, result.Schema.Count);
        Assert.Equal(99_999L, result.Rows[^1][1]);
    }

    [Fact]
    public void Results_are_capped_at_the_api_limit()
    {
        var tables = Big();
        tables["Big"].Rows.Add([Now, -1L, .. Enumerable.Repeat<object?>("x", 18)]);

        var result = HuntingEngine.Execute("Big", tables, Now.AddDays(-30), Now);

        Assert.Equal(HuntingEngine.MaxRows, result.Rows.Count);
    }

    [Fact]
    public void Filters_groups_and_sorts_large_inputs()
    {
        var tables = Big();

        var filtered = HuntingEngine.Execute("Big | where C2 == 'v2' and Timestamp > ago(1d) | count", tables, Now.AddDays(-30), Now);
        var grouped = HuntingEngine.Execute("Big | summarize n = count(), ids = dcount(Id) by C3 | sort by C3 asc", tables, Now.AddDays(-30), Now);
        var top = HuntingEngine.Execute("Big | top 3 by Id desc | project Id", tables, Now.AddDays(-30), Now);
        var first = HuntingEngine.Execute("Big | take 3 | project Id", tables, Now.AddDays(-30), Now);

        // C2 is "v{(r + 2) % 50}": r = 0, 50, 100, ... within the last 86,400 seconds.
        Assert.Equal(1728L, filtered.Rows[0][0]);
        Assert.Equal(50, grouped.Rows.Count);
        Assert.All(grouped.Rows, r => Assert.Equal(2000L, r[1]));
        Assert.Equal([99_999L, 99_998L, 99_997L], top.Rows.Select(r => r[0]));
        Assert.Equal([0L, 1L, 2L], first.Rows.Select(r => r[0]));
    }

    [Fact]
    public void Joins_unions_and_expansions_of_large_inputs_give_exact_counts()
    {
        var tables = Big();

        var joined = HuntingEngine.Execute("Big | join kind=inner (Big | where Id % 2 == 0 | project Id, C3) on Id | count", tables, Now.AddDays(-30), Now);
        var unique = HuntingEngine.Execute("Big | join (Big | where Id < 10 | project C2) on C2 | count", tables, Now.AddDays(-30), Now);
        var anti = HuntingEngine.Execute("Big | join kind=leftanti (Big | where Id >= 50) on Id | count", tables, Now.AddDays(-30), Now);
        var union = HuntingEngine.Execute("union Big, Big | count", tables, Now.AddDays(-30), Now);
        var expanded = HuntingEngine.Execute("Big | extend L = dynamic([1, 2, 3]) | mv-expand L | count", tables, Now.AddDays(-30), Now);

        Assert.Equal(50_000L, joined.Rows[0][0]);
        // innerunique keeps one left row per C2 value (50 values); ids 0-9 cover 10 of them, each matched once.
        Assert.Equal(10L, unique.Rows[0][0]);
        Assert.Equal(50L, anti.Rows[0][0]);
        Assert.Equal(200_000L, union.Rows[0][0]);
        Assert.Equal(300_000L, expanded.Rows[0][0]);
    }
}
