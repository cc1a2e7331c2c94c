using DefenderMcp.Emulator.Hunting;
using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class ShapingOperatorTests
{
    [Fact]
    public void Project_keeps_source_types_renames_and_computes()
    {
        var result = Run("Proc | project Device, Big = Size * 2, Lower = tolower(File), Pid, ['Odd name'] = Admin, Score | take 1");

        Assert.Equal(["Device", "Big", "Lower", "Pid", "Odd name", "Score"], Names(result));
        Assert.Equal(["string", "long", "string", "int", "bool", "real"], Types(result));
        Assert.Equal(new object?[] { "pc1", 200L, "powershell.exe", 10, true, 0.5 }, Assert.Single(result.Rows));
    }

    [Fact]
    public void Unnamed_computed_columns_are_called_column1_column2()
    {
        var result = Run("Proc | project Size * 2, tolower(File), Device | take 1");

        Assert.Equal(["Column1", "Column2", "Device"], Names(result));
    }

    [Fact]
    public void Project_away_removes_named_and_wildcard_columns()
    {
        var result = Run("Proc | project-away Cmd, Admin, Ti*, T* | take 1");

        Assert.Equal(["Device", "File", "Size", "Pid", "Score"], Names(result));
        Assert.Equal(new object?[] { "pc1", "powershell.exe", 100L, 10, 0.5 }, Assert.Single(result.Rows));
    }

    [Fact]
    public void Project_rename_renames_in_place()
    {
        var result = Run("Proc | project-rename Host = Device, Name = File | take 1");

        Assert.Equal(["Timestamp", "Host", "Name", "Cmd", "Size", "Admin", "Pid", "Score", "Tags"], Names(result));
        Assert.Equal("string", TypeOf(result, "Host"));
        Assert.Equal("pc1", Single(result, "Host"));
    }

    [Fact]
    public void Extend_appends_replaces_and_sees_earlier_columns()
    {
        var result = Run("Proc | extend A = Size * 2, B = A + 1, Size = Size + 1, Kb = Size / 10, Day = bin(Timestamp, 1d) | take 1");

        Assert.Equal(["Timestamp", "Device", "File", "Cmd", "Size", "Admin", "Pid", "Score", "Tags", "A", "B", "Kb", "Day"], Names(result));
        Assert.Equal(["long", "long", "long", "long", "datetime"], new[] { "Size", "A", "B", "Kb", "Day" }.Select(c => TypeOf(result, c)));
        Assert.Equal(200L, Single(result, "A"));
        Assert.Equal(201L, Single(result, "B"));
        Assert.Equal(101L, Single(result, "Size"));
        Assert.Equal(10L, Single(result, "Kb"));
        Assert.Equal(Now.Date, Single(result, "Day"));
    }

    [Fact]
    public void Extend_does_not_change_the_source_table()
    {
        var tables = Tables();

        HuntingEngine.Execute("Proc | extend Size = Size * 1000", tables, Now.AddDays(-30), Now);

        Assert.Equal(100L, tables["Proc"].Rows[0][4]);
    }

    [Theory]
    [InlineData("Proc | take 2", 2)]
    [InlineData("Proc | limit 3", 3)]
    [InlineData("Proc | take 0", 0)]
    [InlineData("Proc | take 100", 4)]
    [InlineData("let n = 1; Proc | take n", 1)]
    public void Take_and_limit(string query, int expected) => Assert.Equal(expected, Run(query).Rows.Count);

    [Fact]
    public void Take_returns_the_first_rows_in_order() =>
        Assert.Equal(["powershell.exe", "cmd.exe"], Column(Run("Proc | take 2"), "File"));

    [Fact]
    public void Sort_defaults_to_descending_and_accepts_several_keys()
    {
        Assert.Equal([300L, 100L, 50L, 10L], Column(Run("Proc | sort by Size"), "Size"));
        Assert.Equal([10L, 50L, 100L, 300L], Column(Run("Proc | order by Size asc"), "Size"));
        Assert.Equal([300L, 100L, 50L, 10L], Column(Run("Proc | order by Size desc"), "Size"));
        Assert.Equal(["cmd.exe", "powershell.exe", "PowerShell.exe", "chrome.exe"], Column(Run("Proc | sort by Device asc, Size asc"), "File"));
        Assert.Equal(["chrome.exe", "PowerShell.exe", "powershell.exe", "cmd.exe"], Column(Run("Proc | sort by Device desc, Size desc"), "File"));
        Assert.Equal(["cmd.exe", "chrome.exe", "PowerShell.exe", "powershell.exe"], Column(Run("Proc | sort by strlen(File) asc, File asc"), "File"));
    }

    [Fact]
    public void Sort_places_nulls_like_kql()
    {
        Assert.Equal([null, 0.5, 1.5, 2.0], Column(Run("Proc | sort by Score asc"), "Score"));
        Assert.Equal([2.0, 1.5, 0.5, null], Column(Run("Proc | sort by Score desc"), "Score"));
        Assert.Equal([0.5, 1.5, 2.0, null], Column(Run("Proc | sort by Score asc nulls last"), "Score"));
        Assert.Equal([null, 2.0, 1.5, 0.5], Column(Run("Proc | sort by Score desc nulls first"), "Score"));
    }

    [Fact]
    public void Top_sorts_then_limits()
    {
        Assert.Equal([300L, 100L], Column(Run("Proc | top 2 by Size"), "Size"));
        Assert.Equal([10L, 50L], Column(Run("Proc | top 2 by Size asc"), "Size"));
        Assert.Equal(["powershell.exe"], Column(Run("Proc | top 1 by Timestamp desc"), "File"));
        Assert.Empty(Run("Proc | top 0 by Size").Rows);
    }

    [Fact]
    public void Top_and_sort_keep_input_order_among_ties()
    {
        Assert.Equal(["powershell.exe", "cmd.exe", "PowerShell.exe"], Column(Run("Proc | top 3 by Device asc"), "File"));
        Assert.Equal(["powershell.exe", "cmd.exe", "PowerShell.exe", "chrome.exe"], Column(Run("Proc | sort by Device asc"), "File"));
        Assert.Equal([10L, 50L, 100L, 300L], Column(Run("Proc | top 5000 by Size asc"), "Size"));
    }

    [Fact]
    public void Distinct_keeps_first_seen_combinations()
    {
        var devices = Run("Proc | distinct Device");
        var pairs = Run("Proc | distinct Device, Admin");

        Assert.Equal(["Device"], Names(devices));
        Assert.Equal(["pc1", "pc2", "pc3"], Column(devices, "Device"));
        Assert.Equal(["bool"], Types(pairs)[1..]);
        Assert.Equal(4, pairs.Rows.Count);
        Assert.Equal(4, Run("Proc | distinct *").Rows.Count);
    }

    [Fact]
    public void Count_returns_one_long_column_named_count()
    {
        var count = Run("Proc | where Device == 'pc1' | count");
        var none = Run("Proc | where Device == 'nope' | count");

        Assert.Equal(["Count"], Names(count));
        Assert.Equal(["long"], Types(count));
        Assert.Equal(2L, Single(count, "Count"));
        Assert.Equal(0L, Single(none, "Count"));
    }

    [Fact]
    public void Comments_strings_and_line_breaks_are_handled_by_the_lexer()
    {
        var result = Run("Proc // comment | where nothing\n| where Cmd has @\"whoami\" // another\n| project File");

        Assert.Equal(["cmd.exe"], Column(result, "File"));
    }

    [Fact]
    public void Operators_chain_in_any_order()
    {
        var result = Run("Proc | extend K = Size / 10 | where K >= 5 | project Device, K | sort by K asc | take 2 | project-rename Kilo = K");

        Assert.Equal(["Device", "Kilo"], Names(result));
        Assert.Equal([5L, 10L], Column(result, "Kilo"));
    }
}
