using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class ConditionalAggregateTests
{
    [Fact]
    public void Dcountif_make_list_if_and_make_set_if_count_and_collect_only_matching_rows()
    {
        var result = Run("Proc | summarize dcountif(Device, Size > 40), make_list_if(File, Admin), make_set_if(Device, Size > 40), big = dcountif(File, Size > 1000)");

        Assert.Equal(["dcountif_Device", "list_File", "set_Device", "big"], Names(result));
        Assert.Equal(["long", "dynamic", "dynamic", "long"], Types(result));
        Assert.Equal([2L, "[\"powershell.exe\"]", "[\"pc1\",\"pc2\"]", 0L], Assert.Single(result.Rows));
    }

    [Fact]
    public void Conditional_aggregates_group_by_keys()
    {
        var result = Run("Proc | summarize Files = dcountif(File, Size >= 50) by Device | sort by Device asc");

        Assert.Equal([["pc1", 2L], ["pc2", 1L], ["pc3", 0L]], result.Rows.ToArray());
    }

    [Theory]
    [InlineData("Proc | summarize dcountif(Device)", "expects 2 to 3 argument(s)")]
    [InlineData("Proc | summarize dcountif(Device, Size)", "must be a bool expression")]
    [InlineData("Proc | summarize make_list_if(File, Admin, 0)", "positive constant")]
    [InlineData("Proc | extend x = dcountif(Device, Admin)", "'dcountif' can only be used in summarize")]
    public void Conditional_aggregate_errors(string query, string message) =>
        Assert.Contains(message, Fails(query).Message, StringComparison.Ordinal);
}
