using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;
using static DefenderMcp.Emulator.Tests.Hunting.RelationalTables;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class SearchTests
{
    [Fact]
    public void Piped_search_finds_a_term_in_any_column_and_adds_the_table_column()
    {
        var result = Run("Proc | search \"powershell\"");

        Assert.Equal(["$table", "Timestamp", "Device", "File", "Cmd", "Size", "Admin", "Pid", "Score", "Tags"], Names(result));
        Assert.Equal(["Proc", "Proc"], Column(result, "$table"));
        Assert.Equal(["powershell.exe", "PowerShell.exe"], Column(result, "File"));
    }

    [Theory]
    [InlineData("Proc | search kind=case_sensitive \"PowerShell\"", new[] { "PowerShell.exe" })]
    [InlineData("Proc | search \"who*\"", new[] { "cmd.exe" })]
    [InlineData("Proc | search \"*shell\"", new[] { "powershell.exe", "PowerShell.exe" })]
    [InlineData("Proc | search \"*hro*\"", new[] { "chrome.exe" })]
    [InlineData("Proc | search \"x*ps1\"", new[] { "PowerShell.exe" })]
    [InlineData("Proc | search \"owershell\"", new string[0])]
    [InlineData("Proc | search Device:\"pc1\"", new[] { "powershell.exe", "cmd.exe" })]
    [InlineData("Proc | search Device == \"pc3\"", new[] { "chrome.exe" })]
    [InlineData("Proc | search \"enc\" and Size > 50", new[] { "powershell.exe" })]
    [InlineData("Proc | search \"cmd\" or (\"chrome\" and Admin == false)", new[] { "cmd.exe", "chrome.exe" })]
    [InlineData("Proc | search *", new[] { "powershell.exe", "cmd.exe", "PowerShell.exe", "chrome.exe" })]
    [InlineData("Proc | search kind=case_sensitive File startswith \"Power\" or Cmd has \"WHOAMI\"", new[] { "PowerShell.exe" })]
    [InlineData("Proc | search File startswith \"Power\" or Cmd has \"WHOAMI\"", new[] { "powershell.exe", "cmd.exe", "PowerShell.exe" })]
    public void Search_predicates_follow_kusto_wildcard_rules(string query, string[] files) =>
        Assert.Equal(files, Column(Run(query), "File").Cast<string>());

    [Theory]
    [InlineData("Proc | where Cmd hasprefix 'who'", new[] { "cmd.exe" })]
    [InlineData("Proc | where Cmd hassuffix 'ps1'", new[] { "PowerShell.exe" })]
    [InlineData("Proc | where Cmd hasprefix_cs 'Power'", new[] { "PowerShell.exe" })]
    [InlineData("Proc | where Cmd !hassuffix 'AAA' and Cmd !hasprefix 'who'", new[] { "PowerShell.exe", "chrome.exe" })]
    public void Hasprefix_and_hassuffix_match_term_edges(string query, string[] files) =>
        Assert.Equal(files, Column(Run(query), "File").Cast<string>());

    [Fact]
    public void Search_in_one_table_or_several_reports_where_each_row_came_from()
    {
        var one = Run("search in (Info) \"Windows10\"");
        var several = Query("search in (Proc, Info, Ne*) \"pc2\" | project $table, Device, DeviceName, RemoteIP");

        Assert.Equal(["$table", "DeviceName", "OSPlatform"], Names(one));
        Assert.Equal([["Info", "pc2", "Windows10"]], one.Rows.ToArray());
        Assert.Equal([["Proc", "pc2", null, null], ["Info", null, "pc2", null], ["Net", "pc2", null, "3.3.3.3"]], Rows(several));
    }

    [Theory]
    [InlineData("search \"pc1\"", "'search' over every table is not supported")]
    [InlineData("Proc | search in (Info) \"pc1\"", "'search in (...)' cannot follow '|'")]
    [InlineData("search in (Nope) \"pc1\"", "Failed to resolve table expression named 'Nope'")]
    [InlineData("Proc | search kind=fuzzy \"pc1\"", "Unsupported search kind 'fuzzy'")]
    [InlineData("Proc | search Device:1", "expected a string after 'Column:'")]
    public void Search_errors(string query, string message) =>
        Assert.Contains(message, Fails(query).Message, StringComparison.Ordinal);
}
