using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;
using static DefenderMcp.Emulator.Tests.Hunting.RelationalTables;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class UnionTests
{
    [Fact]
    public void Union_of_named_tables_merges_columns_by_name_and_type()
    {
        var result = Query("union X, Y");

        Assert.Equal(["Key", "Value1", "Value2"], Names(result));
        Assert.Equal(
            [["a", 1L, null], ["b", 2L, null], ["b", 3L, null], ["c", 4L, null], ["b", null, 10L], ["c", null, 20L], ["c", null, 30L], ["d", null, 40L]],
            Rows(result));
    }

    [Fact]
    public void Withsource_adds_the_table_name_first_and_pipes_apply_to_the_whole_union()
    {
        var result = Query("union withsource=SourceTable X, Y | where Key == 'b'");

        Assert.Equal(["SourceTable", "Key", "Value1", "Value2"], Names(result));
        Assert.Equal([["X", "b", 2L, null], ["X", "b", 3L, null], ["Y", "b", null, 10L]], Rows(result));
    }

    [Fact]
    public void Piped_union_with_a_parenthesized_leg_and_a_column_of_two_types()
    {
        var result = Query("Net | project Device, Port | union withsource=T (Proc | project Device, Port = Pid | take 1)");

        // Port is long in Net and int in the other leg: one column per type, named Port_type.
        Assert.Equal(["T", "Device", "Port_long", "Port_int"], Names(result));
        Assert.Equal(["Net", "pc1", 443L, null], Rows(result)[0]);
        Assert.Equal(["union_arg1", "pc1", null, 10], Rows(result)[^1]);
        Assert.Equal(5, result.Rows.Count);
    }

    [Fact]
    public void Inner_union_keeps_the_shared_columns_and_wildcards_expand_to_tables()
    {
        var inner = Query("union kind=inner X, Y | count");
        var wildcard = Query("union withsource=T I*, X | summarize count() by T");

        Assert.Equal(8L, Single(inner, "Count"));
        Assert.Equal(["Key"], Names(Query("union kind=inner X, Y")));
        Assert.Equal([["Info", 2L], ["X", 4L]], Rows(wildcard));
    }

    [Fact]
    public void Isfuzzy_skips_missing_tables_and_lets_are_legs()
    {
        var result = Query("let b = X | where Key == 'b'; union isfuzzy=true b, Missing | count");

        Assert.Equal(2L, Single(result, "Count"));
    }

    [Fact]
    public void Union_and_search_can_be_let_values()
    {
        var union = Query("let both = union X, Y; both | where Key == 'd' | project Key, Value2");
        var search = Query("let hits = search in (X, Y) \"c\"; hits | summarize n = count() by $table");

        Assert.Equal([["d", 40L]], Rows(union));
        Assert.Equal([["X", 1L], ["Y", 2L]], Rows(search));
    }

    [Fact]
    public void Take_after_union_stops_reading_early() =>
        Assert.Equal([["a", 1L, null]], Rows(Query("union X, Y | take 1")));

    [Theory]
    [InlineData("union X, Missing", "Failed to resolve table expression named 'Missing'")]
    [InlineData("union isfuzzy=true Missing", "Failed to resolve table expression named 'Missing'")]
    [InlineData("union kind=full X, Y", "Unsupported union kind 'full'")]
    [InlineData("union Zz*", "Failed to resolve table expression named 'Zz*'")]
    public void Union_errors(string query, string message) =>
        Assert.Contains(message, Refused(query).Message, StringComparison.Ordinal);
}
