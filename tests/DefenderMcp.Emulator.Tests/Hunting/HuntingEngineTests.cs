using System.Text.Json;
using DefenderMcp.Emulator.Hunting;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class HuntingEngineTests
{
    private static readonly DateTime Now = new(2026, 1, 10, 12, 0, 0, DateTimeKind.Utc);

    private static IReadOnlyDictionary<string, HuntingTable> Tables()
    {
        var t = new HuntingTable("Proc", [new("Timestamp", "datetime"), new("Device", "string"), new("File", "string"), new("Cmd", "string"), new("Size", "long"), new("Admin", "bool")]);
        t.Rows.Add([Now.AddHours(-1), "pc1", "powershell.exe", "powershell -enc AAA", 100L, true]);
        t.Rows.Add([Now.AddHours(-2), "pc1", "cmd.exe", "cmd /c whoami", 50L, false]);
        t.Rows.Add([Now.AddHours(-3), "pc2", "PowerShell.exe", "PowerShell.exe -File x.ps1", 300L, false]);
        t.Rows.Add([Now.AddDays(-2), "pc3", "chrome.exe", "chrome.exe --type=renderer", 10L, false]);
        t.Rows.Add([Now.AddDays(-40), "pc4", "old.exe", "old", 1L, false]);
        return new Dictionary<string, HuntingTable> { ["Proc"] = t };
    }

    private static HuntingQueryResult Run(string query) => HuntingEngine.Execute(query, Tables(), Now.AddDays(-30), Now);

    private static List<object?> Column(HuntingQueryResult result, string name)
    {
        var index = result.Schema.ToList().FindIndex(c => c.Name == name);
        return [.. result.Rows.Select(r => r[index])];
    }

    [Fact]
    public void The_window_drops_rows_older_than_the_timespan() => Assert.Equal(4, Run("Proc").Rows.Count);

    [Theory]
    [InlineData("Proc | where File == 'powershell.exe'", 1)]
    [InlineData("Proc | where File =~ 'powershell.exe'", 2)]
    [InlineData("Proc | where File != 'cmd.exe'", 3)]
    [InlineData("Proc | where File !~ 'POWERSHELL.EXE'", 2)]
    [InlineData("Proc | where Cmd has 'enc'", 1)]
    [InlineData("Proc | where Cmd has 'en'", 0)]
    [InlineData("Proc | where Cmd contains 'ps1'", 1)]
    [InlineData("Proc | where Cmd !contains 'e'", 1)]
    [InlineData("Proc | where File startswith 'power'", 2)]
    [InlineData("Proc | where File startswith_cs 'power'", 1)]
    [InlineData("Proc | where File endswith '.EXE'", 4)]
    [InlineData("Proc | where File in ('cmd.exe', 'chrome.exe')", 2)]
    [InlineData("Proc | where File in~ ('POWERSHELL.EXE')", 2)]
    [InlineData("Proc | where File !in ('cmd.exe')", 3)]
    [InlineData("Proc | where Cmd has_any ('whoami', 'renderer')", 2)]
    [InlineData("Proc | where Size between (50 .. 100)", 2)]
    [InlineData("Proc | where Size > 60 and Device == 'pc1' or Device == 'pc3'", 2)]
    [InlineData("Proc | where not(Admin)", 3)]
    [InlineData("Proc | where Admin == true", 1)]
    [InlineData("Proc | where Timestamp > ago(1d)", 3)]
    [InlineData("Proc | where Timestamp between (datetime(2026-01-08) .. now())", 4)]
    [InlineData("Proc | where isnotempty(Cmd) and strlen(Device) == 3", 4)]
    [InlineData("Proc | where tolower(File) == 'powershell.exe'", 2)]
    public void Where_filters_with_every_operator(string query, int expected) => Assert.Equal(expected, Run(query).Rows.Count);

    [Fact]
    public void Project_extend_and_project_away_shape_columns_with_types()
    {
        var projected = Run("Proc | project Device, Big = Size * 2, Lower = tolower(File) | take 1");
        var extended = Run("Proc | extend Kb = Size / 10 | project-away Cmd, Admin | take 1");

        Assert.Equal(["Device", "Big", "Lower"], projected.Schema.Select(c => c.Name));
        Assert.Equal(["string", "long", "string"], projected.Schema.Select(c => c.Type));
        Assert.Equal(200L, projected.Rows[0][1]);
        Assert.Equal(["Timestamp", "Device", "File", "Size", "Kb"], extended.Schema.Select(c => c.Name));
        Assert.Equal(10L, extended.Rows[0][4]);
    }

    [Fact]
    public void Take_sort_top_distinct_and_count()
    {
        Assert.Equal(2, Run("Proc | take 2").Rows.Count);
        Assert.Equal(2, Run("Proc | limit 2").Rows.Count);
        Assert.Equal([10L, 50L, 100L, 300L], Column(Run("Proc | sort by Size asc"), "Size"));
        Assert.Equal([300L, 100L], Column(Run("Proc | top 2 by Size"), "Size"));
        Assert.Equal(["pc1", "pc2", "pc3"], Column(Run("Proc | distinct Device | order by Device asc"), "Device"));
        var count = Run("Proc | where Device == 'pc1' | count");
        Assert.Equal(("Count", "long"), (count.Schema[0].Name, count.Schema[0].Type));
        Assert.Equal(2L, count.Rows[0][0]);
    }

    [Fact]
    public void Summarize_aggregates_by_keys_and_bins()
    {
        var byDevice = Run("Proc | summarize n = count(), total = sum(Size), biggest = max(Size), files = dcount(File), mean = avg(Size), first = min(Timestamp), set = make_set(File) by Device | sort by Device asc");
        var byHour = Run("Proc | where Timestamp > ago(1d) | summarize count() by bin(Timestamp, 1d)");
        var flags = Run("Proc | summarize admins = countif(Admin == true)");

        Assert.Equal(["Device", "n", "total", "biggest", "files", "mean", "first", "set"], byDevice.Schema.Select(c => c.Name));
        Assert.Equal(["string", "long", "long", "long", "long", "real", "datetime", "dynamic"], byDevice.Schema.Select(c => c.Type));
        var pc1 = byDevice.Rows[0];
        Assert.Equal(("pc1", 2L, 150L, 100L, 2L, 75.0), ((string)pc1[0]!, (long)pc1[1]!, (long)pc1[2]!, (long)pc1[3]!, (long)pc1[4]!, (double)pc1[5]!));
        Assert.Equal(["powershell.exe", "cmd.exe"], JsonSerializer.Deserialize<string[]>((string)pc1[7]!)!);
        Assert.Equal(3L, Assert.Single(byHour.Rows)[1]);
        Assert.Equal(1L, flags.Rows[0][0]);
    }

    [Fact]
    public void Let_free_queries_with_comments_and_strings_work()
    {
        var result = Run("Proc // comment | where nothing\n| where Cmd has @\"whoami\" | project File");

        Assert.Equal(["cmd.exe"], Column(result, "File"));
    }

    [Theory]
    [InlineData("Proc | join (Proc) on Device", "join")]
    [InlineData("Proc | mv-expand Cmd", "mv-expand")]
    [InlineData("Proc | where matches_regex(Cmd)", "matches_regex")]
    [InlineData("Nope | take 1", "Nope")]
    [InlineData("Proc | where Missing == 1", "Missing")]
    [InlineData("Proc | summarize percentile(Size, 50)", "percentile")]
    [InlineData("Proc | take", "row count")]
    [InlineData("Proc | where File == 'unterminated", "unterminated")]
    public void Unsupported_or_wrong_syntax_names_the_problem(string query, string named)
    {
        var error = Assert.Throws<HuntingQueryException>(() => Run(query));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_writer_produces_the_graph_shape()
    {
        var result = new HuntingQueryResult([new("Timestamp", "datetime"), new("N", "long"), new("D", "dynamic"), new("S", "string")], [[Now, 5L, "[\"a\"]", null]]);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            HuntingResultWriter.Write(writer, result);
        }

        var root = JsonDocument.Parse(buffer.ToArray()).RootElement;
        Assert.Equal(["DateTime", "Int64", "Object", "String"], root.GetProperty("schema").EnumerateArray().Select(c => c.GetProperty("type").GetString()));
        var row = root.GetProperty("results")[0];
        Assert.Equal("2026-01-10T12:00:00.0000000Z", row.GetProperty("Timestamp").GetString());
        Assert.Equal(JsonValueKind.Array, row.GetProperty("D").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("S").ValueKind);
    }
}
