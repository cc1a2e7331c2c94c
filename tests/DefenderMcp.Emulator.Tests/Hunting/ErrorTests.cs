using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class ErrorTests
{
    [Theory]
    [InlineData("Proc | mv-apply t = Tags on (take 1)", "Unsupported operator 'mv-apply'")]
    [InlineData("find in (Proc) where Size > 1", "Unsupported operator 'find'")]
    [InlineData("Proc | join kind=inner (Info) on $left.Device < $right.DeviceName", "expected '=='")]
    [InlineData("Proc | sample 2", "Unsupported operator 'sample'")]
    [InlineData("Proc | evaluate bag_unpack(Tags)", "Unsupported operator 'evaluate'")]
    [InlineData("Proc | make-series count() on Timestamp step 1h", "Unsupported operator 'make-series'")]
    [InlineData("Proc | Where Size > 1", "Unsupported operator 'Where'")]
    [InlineData("print 1", "Unsupported operator 'print'")]
    [InlineData("externaldata (x:string) [@'https://example.com/x']", "Unsupported operator 'externaldata'")]
    [InlineData("Proc | where Cmd has_any_cs ('pow')", "Unsupported operator 'has_any_cs'")]
    [InlineData("Proc | where matches_regex(Cmd)", "Unsupported function 'matches_regex'")]
    [InlineData("Proc | extend x = base64_decode_toarray(Cmd)", "Unsupported function 'base64_decode_toarray'")]
    [InlineData("DeviceFromIP('10.0.0.1')", "Unsupported function 'DeviceFromIP'")]
    [InlineData("Proc | summarize percentile(Size, 50)", "Unsupported aggregation function 'percentile'")]
    [InlineData("Proc | where count() > 1", "'count' can only be used in summarize")]
    [InlineData("Proc | where File.x == 1", "Property access needs a dynamic value, not string")]
    [InlineData("Proc | where Tags[Size] == 1", "constant string or integer")]
    [InlineData("Proc | where File in (Info | project DeviceName)", "tabular subquery")]
    [InlineData("let f = (x:long) { x + 1 }; Proc", "user-defined functions")]
    [InlineData("let f = () { Proc }; f()", "user-defined functions")]
    [InlineData("let n = toscalar(Proc | count); Proc", "Unsupported function 'toscalar'")]
    [InlineData("Proc | extend x = parse_url(Cmd)", "Unsupported function 'parse_url'")]
    [InlineData("set notruncation; Proc", "Unsupported statement 'set'")]
    [InlineData("Proc; Info", "one tabular statement")]
    public void Unsupported_syntax_is_named(string query, string message) =>
        Assert.Contains(message, Fails(query).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("Nope | take 1", "Failed to resolve table expression named 'Nope'")]
    [InlineData("proc | take 1", "Failed to resolve table expression named 'proc'")]
    [InlineData("let t = Nope | take 1; t", "Failed to resolve table expression named 'Nope'")]
    [InlineData("Proc | where Missing == 1", "Failed to resolve scalar expression named 'Missing'")]
    [InlineData("Proc | where device == 'pc1'", "Failed to resolve scalar expression named 'device'")]
    [InlineData("Proc | project Device, Missing", "Failed to resolve scalar expression named 'Missing'")]
    [InlineData("Proc | project-away Missing", "Failed to resolve scalar expression named 'Missing'")]
    [InlineData("Proc | project-rename A = Missing", "Failed to resolve scalar expression named 'Missing'")]
    [InlineData("Proc | distinct Missing", "Failed to resolve scalar expression named 'Missing'")]
    [InlineData("Proc | summarize count() by Missing", "Failed to resolve scalar expression named 'Missing'")]
    [InlineData("Proc | project Device | where Size > 1", "Failed to resolve scalar expression named 'Size'")]
    [InlineData("Proc | summarize n = count() by Device | where File == 'x'", "Failed to resolve scalar expression named 'File'")]
    [InlineData("let x = Size; Proc", "Failed to resolve scalar expression named 'Size'")]
    public void Unknown_names_are_reported_like_the_service(string query, string message) =>
        Assert.Contains(message, Fails(query).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("Proc | where Size == 'x'", "Cannot compare values of types long and string")]
    [InlineData("Proc | where Timestamp > '2024-01-01'", "Cannot compare values of types datetime and string")]
    [InlineData("Proc | where Size =~ 1", "needs string operands")]
    [InlineData("Proc | where Size", "must be a bool expression")]
    [InlineData("Proc | where Admin and Size", "must be a bool expression")]
    [InlineData("Proc | extend x = File + 1", "Operator '+' cannot be applied to string and long")]
    [InlineData("Proc | where Timestamp > ago('x')", "expects a timespan argument")]
    [InlineData("Proc | extend x = tolower()", "expects 1 argument")]
    [InlineData("Proc | summarize sum(File)", "expects a numeric argument")]
    [InlineData("Proc | summarize make_set(File, -1)", "positive constant")]
    public void Type_errors_are_reported(string query, string message) =>
        Assert.Contains(message, Fails(query).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("Proc | take", "row count")]
    [InlineData("Proc | take -1", "row count")]
    [InlineData("Proc | take Size", "Failed to resolve scalar expression named 'Size'")]
    [InlineData("Proc | top 2", "expected 'by'")]
    [InlineData("Proc | sort Size", "expected 'by'")]
    [InlineData("Proc | where File == 'unterminated", "unterminated")]
    [InlineData("Proc | where Size > 1 Device", "unexpected token near 'Device'")]
    [InlineData("Proc |", "expected an operator")]
    [InlineData("Proc | where (Size > 1", "expected ')'")]
    [InlineData("Proc | summarize", "expected an aggregation")]
    [InlineData("Proc | summarize Size", "expected an aggregation function")]
    [InlineData("Proc | where datetime(nope) > now()", "Invalid datetime literal")]
    [InlineData("", "no tabular expression")]
    [InlineData("let x = 1;", "no tabular expression")]
    [InlineData("#connect cluster('x')", "directive")]
    public void Syntax_errors_say_where(string query, string message) =>
        Assert.Contains(message, Fails(query).Message, StringComparison.Ordinal);

    [Fact]
    public void Deep_nesting_is_refused_instead_of_overflowing_the_stack()
    {
        Assert.Contains("nested too deeply", Fails("Proc | where " + new string('(', 5000) + "true" + new string(')', 5000)).Message, StringComparison.Ordinal);
        Assert.Contains("nested too deeply", Fails("Proc | extend x = " + new string('-', 5000) + "1").Message, StringComparison.Ordinal);
        Assert.Contains("nested too deeply", Fails("Proc | where " + string.Concat(Enumerable.Repeat("not(", 5000)) + "true" + new string(')', 5000)).Message, StringComparison.Ordinal);
        Assert.Contains("nested too deeply", Fails(new string('(', 5000) + "Proc" + new string(')', 5000)).Message, StringComparison.Ordinal);
        Assert.Equal(4, Run("Proc | where ((((Size > 1))))").Rows.Count);
        Assert.Equal(4, Run("((Proc | where Size > 1))").Rows.Count);
        Assert.Equal(-100L, Single(Run("Proc | take 1 | project x = - - Size * -1"), "x"));
    }

    [Fact]
    public void Syntax_errors_carry_the_position()
    {
        var error = Fails("Proc | where Size > 1 Device");

        Assert.Contains("position 22", error.Message, StringComparison.Ordinal);
    }
}
