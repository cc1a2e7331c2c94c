using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;
using static DefenderMcp.Emulator.Tests.Hunting.RelationalTables;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class LookupTests
{
    [Fact]
    public void Lookup_is_leftouter_by_default_and_does_not_repeat_the_right_keys()
    {
        var result = Query("Proc | project Device, File | lookup (Info) on $left.Device == $right.DeviceName");

        Assert.Equal(["Device", "File", "OSPlatform"], Names(result));
        Assert.Equal(
            [["pc1", "powershell.exe", "Windows11"], ["pc1", "cmd.exe", "Windows11"], ["pc2", "PowerShell.exe", "Windows10"], ["pc3", "chrome.exe", null]],
            Rows(result));
    }

    [Fact]
    public void Lookup_inner_drops_unmatched_rows_and_keeps_duplicates_on_the_left()
    {
        var result = Query("X | lookup kind=inner Y on Key");

        Assert.Equal(["Key", "Value1", "Value2"], Names(result));
        Assert.Equal([["b", 2L, 10L], ["b", 3L, 10L], ["c", 4L, 20L], ["c", 4L, 30L]], Rows(result));
    }

    [Fact]
    public void Lookup_suffixes_clashing_non_key_columns()
    {
        var result = Query("Proc | project Device, Pid | lookup kind=inner (Net | project Device, Pid, RemoteIP) on Device");

        Assert.Equal(["Device", "Pid", "Pid1", "RemoteIP"], Names(result));
        Assert.Equal(["pc1", 10, 10, "1.1.1.1"], Rows(result)[0]);
    }

    [Theory]
    [InlineData("X | lookup kind=fullouter Y on Key", "Unsupported lookup kind 'fullouter'")]
    [InlineData("X | lookup Y on Nope", "Failed to resolve scalar expression named 'Nope' on the left side of the lookup")]
    public void Lookup_errors(string query, string message) =>
        Assert.Contains(message, Refused(query).Message, StringComparison.Ordinal);
}
