using DefenderMcp.Emulator.Hunting;
using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class LetAndWindowTests
{
    [Fact]
    public void The_window_drops_rows_older_than_the_timespan()
    {
        Assert.Equal(4, Run("Proc").Rows.Count);
        Assert.Equal(3, Run("Proc", TimeSpan.FromDays(1)).Rows.Count);
        Assert.Equal(5, Run("Proc", TimeSpan.FromDays(90)).Rows.Count);
    }

    [Fact]
    public void The_window_ends_at_now()
    {
        var tables = Tables();
        tables["Proc"].Rows.Add([Now.AddMinutes(1), "future", "f.exe", "f", 1L, false, 1, 1.0, null]);

        var result = HuntingEngine.Execute("Proc | where Device == 'future'", tables, Now.AddDays(-30), Now);

        Assert.Empty(result.Rows);
    }

    [Fact]
    public void A_window_can_end_before_now_while_ago_stays_relative_to_now()
    {
        var tables = Tables();

        var inWindow = HuntingEngine.Execute("Proc | project File", tables, Now.AddDays(-3), Now.AddHours(-2), Now);
        var recent = HuntingEngine.Execute("Proc | where Timestamp > ago(150m) | project File", tables, Now.AddDays(-3), Now.AddHours(-2), Now);

        Assert.Equal(["cmd.exe", "PowerShell.exe", "chrome.exe"], Column(inWindow, "File"));
        Assert.Equal(["cmd.exe"], Column(recent, "File"));
    }

    [Fact]
    public void Tables_without_a_timestamp_are_not_windowed() =>
        Assert.Equal(2, Run("Info", TimeSpan.FromMinutes(1)).Rows.Count);

    [Fact]
    public void Ago_and_now_use_the_given_clock_not_the_machine_clock()
    {
        var result = Run("Proc | project A = ago(0s), N = now() | take 1");

        Assert.Equal(new object?[] { Now, Now }, Assert.Single(result.Rows));
    }

    [Theory]
    [InlineData("let min = 60; Proc | where Size > min | count", 2L)]
    [InlineData("let since = ago(1d); Proc | where Timestamp > since | count", 3L)]
    [InlineData("let cutoff = datetime(2026-01-09);\nProc | where Timestamp < cutoff | count", 1L)]
    [InlineData("let names = dynamic([ 'cmd.exe', 'chrome.exe']); Proc | where File in (names) | count", 2L)]
    [InlineData("let term = 'WHOAMI'; Proc | where Cmd has term | count", 1L)]
    [InlineData("let a = 30; let b = a * 2; Proc | where Size > b | count", 2L)]
    [InlineData("let span = 4h; Proc | where Timestamp > ago(span) | count", 3L)]
    [InlineData("let since = (now() - 1d); Proc | where Timestamp > since | count", 3L)]
    [InlineData("let big = (100); Proc | where Size >= big | count", 2L)]
    [InlineData("let pcs = Proc | where Device == 'pc1'; pcs | count", 2L)]
    [InlineData("let pcs = Proc | where Device == 'pc1'; let big = pcs | where Size > 60; big | count", 1L)]
    [InlineData("let x = 1;\n// a comment\nProc | count;", 4L)]
    public void Let_statements_bind_constants_and_tabular_expressions(string query, long expected) =>
        Assert.Equal(expected, Single(Run(query), "Count"));

    [Fact]
    public void Tabular_lets_are_windowed_and_can_be_used_twice()
    {
        var tables = Tables();
        var first = HuntingEngine.Execute("let recent = Proc | where Size > 1; recent | count", tables, Now.AddDays(-1), Now);
        var second = HuntingEngine.Execute("let recent = Proc | where Size > 1; recent | count", tables, Now.AddDays(-1), Now);

        Assert.Equal(3L, Single(first, "Count"));
        Assert.Equal(3L, Single(second, "Count"));
    }
}
