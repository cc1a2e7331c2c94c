using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;
using static DefenderMcp.Emulator.Tests.Hunting.RelationalTables;

namespace DefenderMcp.Emulator.Tests.Hunting;

/// <summary>Every join flavor on the X and Y tables of the Kusto documentation, with the documented results.</summary>
public sealed class JoinTests
{
    private static readonly string[] BothSides = ["Key", "Value1", "Key1", "Value2"];

    [Fact]
    public void The_default_innerunique_dedups_left_keys_and_suffixes_the_right_key()
    {
        var result = Query("X | join Y on Key");

        Assert.Equal(BothSides, Names(result));
        Assert.Equal(["string", "long", "string", "long"], Types(result));
        Assert.Equal([["b", 2L, "b", 10L], ["c", 4L, "c", 20L], ["c", 4L, "c", 30L]], Rows(result));
        Assert.Equal(Rows(result), Rows(Query("X | join kind=innerunique Y on Key")));
    }

    [Fact]
    public void Inner_keeps_every_matching_pair()
    {
        var result = Query("X | join kind=inner Y on Key");

        Assert.Equal(BothSides, Names(result));
        Assert.Equal([["b", 2L, "b", 10L], ["b", 3L, "b", 10L], ["c", 4L, "c", 20L], ["c", 4L, "c", 30L]], Rows(result));
    }

    [Fact]
    public void Leftouter_keeps_unmatched_left_rows_with_empty_right_columns()
    {
        var result = Query("X | join kind=leftouter Y on Key");

        Assert.Equal([["a", 1L, null, null], ["b", 2L, "b", 10L], ["b", 3L, "b", 10L], ["c", 4L, "c", 20L], ["c", 4L, "c", 30L]], Rows(result));
    }

    [Fact]
    public void Rightouter_and_fullouter_add_the_unmatched_right_rows_last()
    {
        Assert.Equal(
            [["b", 2L, "b", 10L], ["b", 3L, "b", 10L], ["c", 4L, "c", 20L], ["c", 4L, "c", 30L], [null, null, "d", 40L]],
            Rows(Query("X | join kind=rightouter Y on Key")));
        Assert.Equal(
            [["a", 1L, null, null], ["b", 2L, "b", 10L], ["b", 3L, "b", 10L], ["c", 4L, "c", 20L], ["c", 4L, "c", 30L], [null, null, "d", 40L]],
            Rows(Query("X | join kind=fullouter Y on Key")));
    }

    [Theory]
    [InlineData("leftsemi")]
    [InlineData("leftanti")]
    [InlineData("anti")]
    [InlineData("leftantisemi")]
    public void Left_semi_and_anti_return_left_rows_only(string kind)
    {
        var result = Query($"X | join kind={kind} Y on Key");

        Assert.Equal(["Key", "Value1"], Names(result));
        object?[][] expected = kind == "leftsemi" ? [["b", 2L], ["b", 3L], ["c", 4L]] : [["a", 1L]];
        Assert.Equal(expected, Rows(result));
    }

    [Theory]
    [InlineData("rightsemi")]
    [InlineData("rightanti")]
    [InlineData("rightantisemi")]
    public void Right_semi_and_anti_return_right_rows_only(string kind)
    {
        var result = Query($"X | join kind={kind} Y on Key");

        Assert.Equal(["Key", "Value2"], Names(result));
        object?[][] expected = kind == "rightsemi" ? [["b", 10L], ["c", 20L], ["c", 30L]] : [["d", 40L]];
        Assert.Equal(expected, Rows(result));
    }

    [Fact]
    public void Left_and_right_columns_with_other_names_and_hints_and_a_parenthesized_right_side()
    {
        var result = Query("Proc | project Device, File | join kind=inner hint.strategy=broadcast (Info | where OSPlatform startswith 'Windows') on $left.Device == $right.DeviceName");

        Assert.Equal(["Device", "File", "DeviceName", "OSPlatform"], Names(result));
        Assert.Equal(
            [["pc1", "powershell.exe", "pc1", "Windows11"], ["pc1", "cmd.exe", "pc1", "Windows11"], ["pc2", "PowerShell.exe", "pc2", "Windows10"]],
            Rows(result));
        Assert.Equal(Rows(result), Rows(Query("Proc | project Device, File | join kind=inner (Info) on $right.DeviceName == $left.Device")));
    }

    [Fact]
    public void Several_keys_with_commas_or_and_and_every_clashing_column_gets_the_suffix()
    {
        var result = Query("Proc | join kind=inner (Net) on Device, $left.Pid == $right.Pid | project Device, File, Timestamp, Timestamp1, RemoteIP, Pid, Pid1");

        Assert.Equal([["pc1", "powershell.exe", Now.AddHours(-1), Now.AddHours(-1), "1.1.1.1", 10, 10], ["pc2", "PowerShell.exe", Now.AddHours(-3), Now.AddHours(-3), "3.3.3.3", 30, 30]], Rows(result));
        Assert.Equal(Rows(result), Rows(Query("Proc | join kind=inner (Net) on Device and Pid | project Device, File, Timestamp, Timestamp1, RemoteIP, Pid, Pid1")));
        Assert.Equal(
            ["Timestamp", "Device", "File", "Cmd", "Size", "Admin", "Pid", "Score", "Tags", "Timestamp1", "Device1", "RemoteIP", "Port", "Pid1"],
            Names(Query("Proc | join kind=inner (Net) on Device")));
    }

    [Fact]
    public void Both_sides_keep_the_time_window_and_tabular_lets_work_as_either_side()
    {
        var result = Query("let recent = Net | where Port != 80; Proc | where File =~ 'powershell.exe' | join kind=leftouter recent on Device | project File, RemoteIP");

        // pc1's 8.8.8.8 row is 50 days old; pc1's port-80 row is filtered; pc2 has 3.3.3.3.
        Assert.Equal([["powershell.exe", "1.1.1.1"], ["PowerShell.exe", "3.3.3.3"]], Rows(result));
    }

    [Fact]
    public void Keys_of_int_and_long_match_and_empty_keys_never_do()
    {
        var result = Query("Proc | extend P = tolong(Pid) | join kind=inner (Net | extend P = Pid) on P | project File, RemoteIP");
        var empties = Query("Proc | extend S = iff(Size > 1000, Size, long(null)) | join kind=inner (Proc | extend S = iff(Size > 1000, Size, long(null))) on S");

        Assert.Equal([["powershell.exe", "1.1.1.1"], ["PowerShell.exe", "3.3.3.3"], ["chrome.exe", "9.9.9.9"]], Rows(result));
        Assert.Empty(empties.Rows);
    }

    [Fact]
    public void Take_after_a_join_stops_early_and_the_build_side_is_capped()
    {
        Assert.Single(Query("X | join kind=inner Y on Key | take 1").Rows);
        Assert.Equal(4, Query("X | join kind=inner Y on Key", maxBuildRows: 4).Rows.Count);

        var tooLarge = Refused("X | join kind=inner Y on Key", maxBuildRows: 3);
        var uniqueKeys = Refused("X | join (Y | take 1) on Key", maxBuildRows: 2);

        Assert.Contains("The join has more than 3 rows on its right side", tooLarge.Message, StringComparison.Ordinal);
        Assert.Contains("Filter or summarize that side first", tooLarge.Message, StringComparison.Ordinal);
        Assert.Contains("more than 2 distinct left keys", uniqueKeys.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X | join kind=sideways Y on Key", "Unsupported join kind 'sideways'")]
    [InlineData("X | join Y on Missing", "Failed to resolve scalar expression named 'Missing' on the left side of the join")]
    [InlineData("X | join Y on $left.Key == $right.Nope", "Failed to resolve scalar expression named 'Nope' on the right side of the join")]
    [InlineData("X | join Y on $left.Key == $left.Key", "must compare a $left column with a $right column")]
    [InlineData("X | join Y on $left.Key == $right.Value2", "have different types")]
    [InlineData("X | join Nope on Key", "Failed to resolve table expression named 'Nope'")]
    [InlineData("X | join Y", "expected 'on'")]
    [InlineData("X | join (Y on Key", "expected ')'")]
    public void Join_errors_name_the_problem(string query, string message) =>
        Assert.Contains(message, Refused(query).Message, StringComparison.Ordinal);
}
