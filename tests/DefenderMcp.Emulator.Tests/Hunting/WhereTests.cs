using DefenderMcp.Emulator.Hunting;
using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class WhereTests
{
    [Theory]
    [InlineData("Proc | where File == 'powershell.exe'", 1)]
    [InlineData("Proc | where File == \"cmd.exe\"", 1)]
    [InlineData("Proc | where File == @'cmd.exe'", 1)]
    [InlineData("Proc | where ['File'] == 'cmd.exe'", 1)]
    [InlineData("Proc | where File =~ 'powershell.exe'", 2)]
    [InlineData("Proc | where File != 'cmd.exe'", 3)]
    [InlineData("Proc | where File <> 'cmd.exe'", 3)]
    [InlineData("Proc | where File !~ 'POWERSHELL.EXE'", 2)]
    [InlineData("Proc | where 'cmd.exe' == File", 1)]
    public void Equality_is_case_sensitive_and_tilde_is_not(string query, int expected) => Assert.Equal(expected, Run(query).Rows.Count);

    [Theory]
    [InlineData("Proc | where Cmd has 'enc'", 1)]
    [InlineData("Proc | where Cmd has 'ENC'", 1)]
    [InlineData("Proc | where Cmd has 'en'", 0)]
    [InlineData("Proc | where Cmd has 'x.ps1'", 1)]
    [InlineData("Proc | where Cmd has 'type=renderer'", 1)]
    [InlineData("Proc | where Cmd has 'ype'", 0)]
    [InlineData("Proc | where Cmd !has 'enc'", 3)]
    [InlineData("Proc | where Cmd has_cs 'ENC'", 0)]
    [InlineData("Proc | where Cmd has_cs 'enc'", 1)]
    [InlineData("Proc | where Cmd contains 'ps1'", 1)]
    [InlineData("Proc | where Cmd contains 'POWER'", 2)]
    [InlineData("Proc | where Cmd contains_cs 'Power'", 1)]
    [InlineData("Proc | where Cmd !contains 'e'", 1)]
    [InlineData("Proc | where Cmd !contains_cs 'P'", 3)]
    [InlineData("Proc | where File startswith 'power'", 2)]
    [InlineData("Proc | where File startswith_cs 'power'", 1)]
    [InlineData("Proc | where File !startswith 'power'", 2)]
    [InlineData("Proc | where File endswith '.EXE'", 4)]
    [InlineData("Proc | where File endswith_cs '.EXE'", 0)]
    [InlineData("Proc | where File !endswith 'cmd.exe'", 3)]
    [InlineData("Proc | where Cmd matches regex @'-enc\\s+[A-Z]+'", 1)]
    public void String_operators_follow_kql_term_and_case_rules(string query, int expected) => Assert.Equal(expected, Run(query).Rows.Count);

    [Theory]
    [InlineData("Proc | where File in ('cmd.exe', 'chrome.exe')", 2)]
    [InlineData("Proc | where File in ('CMD.EXE')", 0)]
    [InlineData("Proc | where File in~ ('CMD.EXE')", 1)]
    [InlineData("Proc | where File !in ('cmd.exe')", 3)]
    [InlineData("Proc | where File !in~ ('CMD.EXE', 'POWERSHELL.EXE')", 1)]
    [InlineData("Proc | where File in (dynamic([ 'cmd.exe', 'chrome.exe']))", 2)]
    [InlineData("Proc | where File in (dynamic(['cmd.exe']))", 1)]
    [InlineData("Proc | where Size in (dynamic([50, 300, 7]))", 2)]
    [InlineData("Proc | where Size in (50, 300)", 2)]
    [InlineData("Proc | where Pid in (20, 40)", 2)]
    [InlineData("Proc | where File in (Device, 'cmd.exe')", 1)]
    [InlineData("Proc | where Cmd has_any ('whoami', 'renderer')", 2)]
    [InlineData("Proc | where Cmd has_any (dynamic(['WHOAMI']))", 1)]
    [InlineData("Proc | where Cmd has_any ('who')", 0)]
    [InlineData("Proc | where Cmd has_all ('powershell', 'enc')", 1)]
    public void Set_membership_operators(string query, int expected) => Assert.Equal(expected, Run(query).Rows.Count);

    [Theory]
    [InlineData("Proc | where Size between (50 .. 100)", 2)]
    [InlineData("Proc | where Size !between (50 .. 100)", 2)]
    [InlineData("Proc | where Score between (1 .. 2)", 2)]
    [InlineData("Proc | where Timestamp between (ago(4h) .. now())", 3)]
    [InlineData("Proc | where Timestamp between (datetime(2026-01-10) .. 1d)", 3)]
    [InlineData("Proc | where Timestamp > ago(1d)", 3)]
    [InlineData("Proc | where Timestamp >= ago(2h)", 2)]
    [InlineData("Proc | where Timestamp < ago(1d)", 1)]
    [InlineData("Proc | where Timestamp <= datetime(2026-01-10 09:00:00)", 2)]
    [InlineData("Proc | where Timestamp > datetime(\"2026-01-10\")", 3)]
    [InlineData("Proc | where Timestamp > datetime(2026-01-10T10:30:00Z)", 1)]
    [InlineData("Proc | where Timestamp + 90m > now()", 1)]
    [InlineData("Proc | where now() - Timestamp < 150m", 2)]
    [InlineData("Proc | where Size >= 100", 2)]
    [InlineData("Proc | where Size < 50", 1)]
    [InlineData("Proc | where Size <= 50", 2)]
    [InlineData("Proc | where Size > 60.5", 2)]
    [InlineData("Proc | where Score > 1", 2)]
    [InlineData("Proc | where Pid == 20", 1)]
    [InlineData("Proc | where Size * 2 > 150", 2)]
    [InlineData("Proc | where Size % 20 == 10", 2)]
    [InlineData("Proc | where Size - 10 == -0", 1)]
    public void Ordering_and_arithmetic_comparisons(string query, int expected) => Assert.Equal(expected, Run(query).Rows.Count);

    [Theory]
    [InlineData("Proc | where Size > 60 and Device == 'pc1' or Device == 'pc3'", 2)]
    [InlineData("Proc | where Size > 60 and (Device == 'pc1' or Device == 'pc3')", 1)]
    [InlineData("Proc | where not(Admin)", 3)]
    [InlineData("Proc | where not(File == 'cmd.exe' or Admin)", 2)]
    [InlineData("Proc | where Admin", 1)]
    [InlineData("Proc | where Admin == true", 1)]
    [InlineData("Proc | where Admin == false", 3)]
    [InlineData("Proc | where Device == 'pc1' | where Size < 100", 1)]
    [InlineData("Proc | filter Device == 'pc1'", 2)]
    [InlineData("Proc | where isnull(Score)", 1)]
    [InlineData("Proc | where isnotnull(Score)", 3)]
    [InlineData("Proc | where isnotempty(Cmd) and strlen(Device) == 3", 4)]
    [InlineData("Proc | where isempty(Device)", 0)]
    [InlineData("Proc | where tolower(File) == 'powershell.exe'", 2)]
    [InlineData("Proc | where toupper(Device) == 'PC1'", 2)]
    public void Logic_and_functions_in_predicates(string query, int expected) => Assert.Equal(expected, Run(query).Rows.Count);

    [Fact]
    public void Empty_strings_behave_as_kql_empty_strings()
    {
        var tables = Tables();
        tables["Proc"].Rows.Add([Now.AddMinutes(-5), "pc9", null, null, null, false, 1, null, null]);

        int Count(string where) => HuntingEngine.Execute($"Proc | where {where}", tables, Now.AddDays(-30), Now).Rows.Count;

        Assert.Equal(1, Count("isempty(File)"));
        Assert.Equal(1, Count("File == ''"));
        Assert.Equal(4, Count("File != ''"));
        Assert.Equal(4, Count("File != 'cmd.exe'"));
        Assert.Equal(4, Count("Cmd !has 'enc'"));
        Assert.Equal(0, Count("Size == 0"));
        Assert.Equal(3, Count("Size != 100"));
    }
}
