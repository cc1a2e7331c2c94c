using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;

namespace DefenderMcp.Emulator.Tests.Hunting;

/// <summary>
/// <c>parse</c> and <c>parse-where</c> as KQL's parse operator documents them. Proc's command lines in the window:
/// "powershell -enc AAA", "cmd /c whoami", "PowerShell.exe -File x.ps1", "chrome.exe --type=renderer".
/// </summary>
public sealed class ParseOperatorTests
{
    private const string ByTime = " | sort by Timestamp desc";

    [Fact]
    public void A_leading_star_skips_to_the_text_and_a_trailing_column_takes_the_rest()
    {
        var result = Run("Proc | parse Cmd with * \"-enc \" Payload" + ByTime);

        Assert.Equal("string", TypeOf(result, "Payload"));
        Assert.Equal(["AAA", null, null, null], Column(result, "Payload"));
        Assert.Equal(4, result.Rows.Count);
    }

    [Fact]
    public void The_pattern_may_start_with_a_column_and_matches_the_first_delimiter()
    {
        var result = Run("Proc | parse Cmd with Exe \" \" Rest" + ByTime);

        Assert.Equal(["powershell", "cmd", "PowerShell.exe", "chrome.exe"], Column(result, "Exe"));
        Assert.Equal(["-enc AAA", "/c whoami", "-File x.ps1", "--type=renderer"], Column(result, "Rest"));
    }

    [Fact]
    public void The_pattern_must_match_from_the_start_and_to_the_end()
    {
        Assert.All(Column(Run("Proc | parse Cmd with \"-enc \" Payload"), "Payload"), Assert.Null);
        Assert.Equal(["enc", null, "File", null], Column(Run("Proc | parse Cmd with * \" -\" Opt \" \" *" + ByTime), "Opt"));
        Assert.All(Column(Run("Proc | parse Cmd with * \" -\" Opt \" \"" + ByTime), "Opt"), Assert.Null);
    }

    [Fact]
    public void Typed_columns_convert_and_a_strict_mismatch_nulls_the_whole_row()
    {
        var typed = Run("Proc | where Device == 'pc1' and Admin | extend S = strcat('size=', Size, ';pid=', Pid, ';at=', Timestamp) | parse S with 'size=' N:long ';pid=' P:int ';at=' At:datetime");
        Assert.Equal("long", TypeOf(typed, "N"));
        Assert.Equal("int", TypeOf(typed, "P"));
        Assert.Equal("datetime", TypeOf(typed, "At"));
        Assert.Equal(100L, Single(typed, "N"));
        Assert.Equal(10, Single(typed, "P"));
        Assert.Equal(Now.AddHours(-1), Single(typed, "At"));

        const string Mixed = "Proc | where Device == 'pc1' and Admin | extend S = strcat('n=', File, ';d=', Device) | parse {0} S with 'n=' N:long ';d=' D";
        var simple = Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, Mixed, ""));
        Assert.Null(Single(simple, "N"));
        Assert.Null(Single(simple, "D"));
        var relaxed = Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, Mixed, "kind=relaxed"));
        Assert.Null(Single(relaxed, "N"));
        Assert.Equal("pc1", Single(relaxed, "D"));
    }

    [Fact]
    public void Regex_mode_columns_are_greedy_unless_flag_U_and_flag_i_ignores_case()
    {
        Assert.Equal("powershell -enc", Column(Run("Proc | parse kind=regex Cmd with Head ' ' *" + ByTime), "Head")[0]);
        Assert.Equal("powershell", Column(Run("Proc | parse kind=regex flags=U Cmd with Head ' ' *" + ByTime), "Head")[0]);

        var result = Run("Proc | parse kind=regex flags=i Cmd with 'POWERSHELL' @'(\\.exe)?' @'\\s+-' Opt ' ' *" + ByTime);
        Assert.Equal(["enc", null, "File", null], Column(result, "Opt"));

        var digits = Run("Proc | extend S = strcat('pid ', Pid, ' end') | parse kind=regex S with @'[a-z]+\\s' P:long @'\\s\\w+'" + ByTime);
        Assert.Equal([10L, 20L, 30L, 40L], Column(digits, "P"));
    }

    [Fact]
    public void Parse_where_keeps_only_the_rows_that_match()
    {
        var result = Run("Proc | parse-where Cmd with * ' -' Opt ' ' *" + ByTime);

        Assert.Equal(["enc", "File"], Column(result, "Opt"));
    }

    [Fact]
    public void A_parsed_column_replaces_one_of_the_same_name_and_others_are_kept()
    {
        var result = Run("Proc | parse Cmd with File ' ' *" + ByTime);

        Assert.Equal(Names(Run("Proc | take 1")), Names(result));
        Assert.Equal(["powershell", "cmd", "PowerShell.exe", "chrome.exe"], Column(result, "File"));
    }

    [Theory]
    [InlineData("Proc | parse kind=fuzzy Cmd with * 'x' y", "Unsupported parse kind 'fuzzy'")]
    [InlineData("Proc | parse flags=i Cmd with * 'x' y", "flags need kind=regex")]
    [InlineData("Proc | parse kind=regex flags=q Cmd with * 'x' y", "Unsupported parse regex flag 'q'")]
    [InlineData("Proc | parse Cmd with * 'x' y:guid", "Unsupported column type 'guid'")]
    [InlineData("Proc | parse Cmd with * 'x'", "expected at least one column")]
    [InlineData("Proc | parse Cmd with y *", "'*' cannot follow a string column")]
    [InlineData("Proc | parse Cmd with y ' ' y", "column 'y' is parsed twice")]
    [InlineData("Proc | parse kind=regex Cmd with '(' y", "Invalid or unsupported regex")]
    [InlineData("Proc | parse Cmd y", "expected 'with'")]
    [InlineData("Proc | parse-where kind=relaxed Cmd with * 'x' y", "Unsupported parse-where kind 'relaxed'")]
    public void Bad_patterns_are_named(string query, string message) =>
        Assert.Contains(message, Fails(query).Message, StringComparison.Ordinal);
}
