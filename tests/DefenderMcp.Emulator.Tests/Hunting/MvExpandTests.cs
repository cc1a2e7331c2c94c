using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class MvExpandTests
{
    [Fact]
    public void Each_array_element_is_a_row_empty_arrays_none_and_nulls_one()
    {
        var result = Run("Proc | mv-expand Tags | project File, Tags");

        Assert.Equal("dynamic", TypeOf(result, "Tags"));
        Assert.Equal([["powershell.exe", "a"], ["powershell.exe", "b"], ["cmd.exe", null], ["chrome.exe", null]], result.Rows.ToArray());
    }

    [Fact]
    public void To_typeof_types_the_column_and_casts_without_converting()
    {
        var strings = Run("Proc | mv-expand Tags to typeof(string) | where isnotempty(Tags) | project Tags");
        var longs = Run("Events | mv-expand N = AdditionalFields.List to typeof(long) | project N");
        var notStrings = Run("Events | take 1 | mv-expand AdditionalFields.List to typeof(string) | project AdditionalFields_List");

        Assert.Equal("string", TypeOf(strings, "Tags"));
        Assert.Equal(["a", "b"], Column(strings, "Tags"));
        Assert.Equal("long", TypeOf(longs, "N"));
        Assert.Equal([1L, 2L, null, null], Column(longs, "N"));
        Assert.Equal([null, null], Column(notStrings, "AdditionalFields_List"));
    }

    [Fact]
    public void Property_bags_expand_to_one_property_each_or_to_key_value_arrays()
    {
        var bags = Run("Events | take 1 | mv-expand Field = AdditionalFields | project Field");
        var arrays = Run("Events | take 1 | mv-expand kind=array AdditionalFields | project AdditionalFields");

        Assert.Equal(["{\"Command\":\"Invoke-Mimikatz\"}", "{\"Count\":3}", "{\"Nested\":{\"Level\":\"high\"}}", "{\"List\":[1,2]}"], Column(bags, "Field"));
        Assert.Equal(["[\"Command\",\"Invoke-Mimikatz\"]", "[\"Count\",3]", "[\"Nested\",{\"Level\":\"high\"}]", "[\"List\",[1,2]]"], Column(arrays, "AdditionalFields"));
    }

    [Fact]
    public void Several_arrays_expand_in_parallel_with_an_item_index_and_a_limit()
    {
        var result = Run("Proc | take 1 | extend N = dynamic([1, 2, 3]) | mv-expand with_itemindex=I Tags, N | project Tags, N, I");
        var limited = Run("Proc | take 1 | mv-expand Tags limit 1 | project Tags");

        Assert.Equal([["a", 1L, 0L], ["b", 2L, 1L], [null, 3L, 2L]], result.Rows.ToArray());
        Assert.Equal("long", TypeOf(result, "I"));
        Assert.Equal(["a"], Column(limited, "Tags"));
    }

    [Fact]
    public void Expanded_values_feed_later_operators()
    {
        var result = Run("Proc | mv-expand Tag = Tags to typeof(string) | summarize n = count() by Tag | where isnotempty(Tag) | sort by Tag asc");

        Assert.Equal([["a", 1L], ["b", 1L]], result.Rows.ToArray());
    }

    [Theory]
    [InlineData("Proc | mv-expand File", "mv-expand expands dynamic arrays and property bags, not string")]
    [InlineData("Proc | mv-expand Tags to typeof(widget)", "Unsupported type 'widget'")]
    [InlineData("Proc | mv-expand kind=tree Tags", "Unsupported mv-expand kind 'tree'")]
    [InlineData("Proc | mv-expand Tags limit -1", "non-negative integer")]
    public void Mv_expand_errors(string query, string message) =>
        Assert.Contains(message, Fails(query).Message, StringComparison.Ordinal);
}
