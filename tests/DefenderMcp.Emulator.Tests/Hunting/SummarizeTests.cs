using DefenderMcp.Emulator.Hunting;
using System.Text.Json;
using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class SummarizeTests
{
    [Fact]
    public void Aggregates_by_a_key_with_their_types()
    {
        var result = Run("Proc | summarize n = count(), total = sum(Size), biggest = max(Size), files = dcount(File), mean = avg(Size), first = min(Timestamp), set = make_set(File) by Device | sort by Device asc");

        Assert.Equal(["Device", "n", "total", "biggest", "files", "mean", "first", "set"], Names(result));
        Assert.Equal(["string", "long", "long", "long", "long", "real", "datetime", "dynamic"], Types(result));
        Assert.Equal(["pc1", "pc2", "pc3"], Column(result, "Device"));
        var pc1 = result.Rows[0];
        Assert.Equal(new object?[] { "pc1", 2L, 150L, 100L, 2L, 75.0, Now.AddHours(-2) }, pc1[..7]);
        Assert.Equal(["powershell.exe", "cmd.exe"], JsonSerializer.Deserialize<string[]>((string)pc1[7]!)!);
    }

    [Fact]
    public void Unnamed_aggregates_get_kql_default_names_and_values()
    {
        var result = Run("Proc | summarize count(), dcount(File), sum(Size), avg(Size), min(Size), max(Size), make_set(Device), make_list(Device), countif(Admin), sum(Score), take_any(Device)");

        Assert.Equal(["count_", "dcount_File", "sum_Size", "avg_Size", "min_Size", "max_Size", "set_Device", "list_Device", "countif_", "sum_Score", "any_Device"], Names(result));
        Assert.Equal(["long", "long", "long", "real", "long", "long", "dynamic", "dynamic", "long", "real", "string"], Types(result));
        var row = Assert.Single(result.Rows);
        Assert.Equal(new object?[] { 4L, 4L, 460L, 115.0, 10L, 300L }, row[..6]);
        Assert.Equal(["pc1", "pc2", "pc3"], JsonSerializer.Deserialize<string[]>((string)row[6]!)!);
        Assert.Equal(["pc1", "pc1", "pc2", "pc3"], JsonSerializer.Deserialize<string[]>((string)row[7]!)!);
        Assert.Equal(new object?[] { 1L, 4.0, "pc1" }, row[8..]);
    }

    [Fact]
    public void Make_set_honours_its_limit_and_keeps_numbers_as_numbers()
    {
        var result = Run("Proc | summarize s = make_set(Device, 2), n = make_set(Size), l = make_list(Pid, 3)");
        var row = Assert.Single(result.Rows);

        Assert.Equal(["pc1", "pc2"], JsonSerializer.Deserialize<string[]>((string)row[0]!)!);
        Assert.Equal([100L, 50L, 300L, 10L], JsonSerializer.Deserialize<long[]>((string)row[1]!)!);
        Assert.Equal([10L, 20L, 30L], JsonSerializer.Deserialize<long[]>((string)row[2]!)!);
    }

    [Fact]
    public void Make_set_of_a_dynamic_column_nests_json()
    {
        var row = Assert.Single(Run("Proc | summarize t = make_set(Tags)").Rows);

        using var document = JsonDocument.Parse((string)row[0]!);
        Assert.Equal(JsonValueKind.Array, document.RootElement[0].ValueKind);
        Assert.Equal("b", document.RootElement[0][1].GetString());
    }

    [Fact]
    public void Bin_keys_are_named_after_their_column()
    {
        var byDay = Run("Proc | summarize count() by bin(Timestamp, 1d) | sort by Timestamp asc");
        var byHour = Run("Proc | summarize c = count() by Hour = bin(Timestamp, 1h), Device | sort by Hour desc");

        Assert.Equal(["Timestamp", "count_"], Names(byDay));
        Assert.Equal(["datetime", "long"], Types(byDay));
        Assert.Equal([new DateTime(2026, 1, 8, 0, 0, 0, DateTimeKind.Utc), Now.Date], Column(byDay, "Timestamp"));
        Assert.Equal([1L, 3L], Column(byDay, "count_"));
        Assert.Equal(["Hour", "Device", "c"], Names(byHour));
        Assert.Equal(4, byHour.Rows.Count);
        Assert.Equal(Now.AddHours(-1), byHour.Rows[0][0]);
    }

    [Fact]
    public void No_keys_always_yields_one_row_and_keys_over_nothing_yield_none()
    {
        Assert.Equal(0L, Single(Run("Proc | where Device == 'x' | summarize count()"), "count_"));
        Assert.Null(Single(Run("Proc | where Device == 'x' | summarize avg(Size)"), "avg_Size"));
        Assert.Empty(Run("Proc | where Device == 'x' | summarize count() by Device").Rows);
    }

    [Fact]
    public void By_only_groups_like_distinct()
    {
        var result = Run("Proc | summarize by Device, Admin");

        Assert.Equal(["Device", "Admin"], Names(result));
        Assert.Equal(4, result.Rows.Count);
    }

    [Fact]
    public void Countif_and_computed_keys()
    {
        var result = Run("Proc | summarize admins = countif(Admin), big = countif(Size > 60) by Host = toupper(Device) | sort by Host asc");

        Assert.Equal(["Host", "admins", "big"], Names(result));
        Assert.Equal(new object?[] { "PC1", 1L, 1L }, result.Rows[0]);
        Assert.Equal(new object?[] { "PC2", 0L, 1L }, result.Rows[1]);
    }

    [Fact]
    public void Arg_max_with_star_returns_the_latest_row_per_key()
    {
        var result = Run("Proc | summarize arg_max(Timestamp, *) by Device | sort by Device asc");

        Assert.Equal(["Device", "Timestamp", "File", "Cmd", "Size", "Admin", "Pid", "Score", "Tags"], Names(result));
        Assert.Equal(["string", "datetime", "string", "string", "long", "bool", "int", "real", "dynamic"], Types(result));
        Assert.Equal("powershell.exe", result.Rows[0][2]);
        Assert.Equal(Now.AddHours(-1), result.Rows[0][1]);
    }

    [Fact]
    public void Arg_min_with_columns_returns_those_columns()
    {
        var result = Run("Proc | summarize arg_min(Size, File, Name = toupper(File)) by Device | sort by Device asc");

        Assert.Equal(["Device", "Size", "File", "Name"], Names(result));
        Assert.Equal(new object?[] { "pc1", 50L, "cmd.exe", "CMD.EXE" }, result.Rows[0]);
    }

    [Fact]
    public void Group_keys_compare_by_value_and_type()
    {
        var tables = new Dictionary<string, HuntingTable>
        {
            ["K"] = new("K", [new("A", "string"), new("B", "string")]),
        };
        tables["K"].Rows.Add(["x|y", "z"]);
        tables["K"].Rows.Add(["x", "y|z"]);
        tables["K"].Rows.Add(["x", "y|z"]);

        var result = HuntingEngine.Execute("K | summarize count() by A, B", tables, Now.AddDays(-1), Now);

        Assert.Equal([1L, 2L], Column(result, "count_"));
    }

    [Fact]
    public void Summarize_feeds_later_operators()
    {
        var result = Run("Proc | summarize total = sum(Size) by Device | where total > 100 | extend Half = total / 2 | project Device, Half | sort by Half desc");

        Assert.Equal(["pc2", "pc1"], Column(result, "Device"));
        Assert.Equal([150L, 75L], Column(result, "Half"));
    }
}
