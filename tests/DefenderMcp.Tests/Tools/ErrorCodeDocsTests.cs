using System.Reflection;
using System.Text.RegularExpressions;
using DefenderMcp.Client;
using DefenderMcp.Mcp;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// docs/tools.md's "Error codes" table lists every code the server can return (each ErrorCodes constant, and each code
/// a client failure maps to) with what to do, and nothing else.
/// </summary>
public sealed partial class ErrorCodeDocsTests
{
    [GeneratedRegex(@"^\| `([a-z_]+)` \| [^|]+\| [^|]+\|$", RegexOptions.Multiline)]
    private static partial Regex Row();

    private static string Root() => RepositoryRoot.Folder;

    private static HashSet<string> Constants() =>
        [.. typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    private static HashSet<string> Documented()
    {
        var text = File.ReadAllText(Path.Combine(Root(), "docs", "tools.md"));
        var from = text.IndexOf("## Error codes", StringComparison.Ordinal);
        Assert.True(from >= 0, "docs/tools.md has no '## Error codes' section");
        var section = text[from..text.IndexOf("\n## ", from + 3, StringComparison.Ordinal)];
        return [.. Row().Matches(section).Select(m => m.Groups[1].Value)];
    }

    [Fact]
    public void Every_error_code_constant_is_documented_with_what_to_do_and_no_other_code_is()
    {
        var constants = Constants();

        Assert.Equal(constants.Order(StringComparer.Ordinal), Documented().Order(StringComparer.Ordinal));
        Assert.Contains("not_ready", constants);
        Assert.Contains("kql_refused", constants);
    }

    [Fact]
    public void Every_code_a_defender_failure_maps_to_is_an_error_code_constant()
    {
        var constants = Constants();

        // DefenderApiException.CodeName is what a failed request reports (ToolErrors passes it through).
        Assert.All(Enum.GetValues<DefenderErrorCode>(), code => Assert.Contains(new DefenderApiException(code, "x").CodeName, constants));
    }
}
