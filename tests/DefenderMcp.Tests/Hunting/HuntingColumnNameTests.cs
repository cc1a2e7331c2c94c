using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Hunting;

// A query can name a column anything (project ['a b']=1); get_hunting_results took only plain identifiers in
// 'columns', so such a column could be seen but never selected.
public sealed class HuntingColumnNameTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Query = "DeviceInfo | take 3 | project ['a b']=1, ['c-d']='x', ['e,f']=2, DeviceName";

    [Fact]
    public async Task Columns_whose_names_are_not_identifiers_can_be_selected()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var id = (await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = Query })).GetProperty("result_id").GetString();

        var page = await server.CallOkAsync("get_hunting_results", new() { ["result_id"] = id, ["columns"] = new[] { "a b", "c-d" } });

        Assert.Equal(["a b", "c-d"], page.GetProperty("schema").EnumerateArray().Select(c => c.GetProperty("Name").GetString()));
        Assert.Equal(3, page.GetProperty("returned_rows").GetInt32());
        Assert.All(page.GetProperty("rows").EnumerateArray(), r => Assert.Equal(["a b", "c-d"], r.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public async Task An_unknown_column_is_refused_listing_the_real_ones_quoted_where_they_are_not_identifiers()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var id = (await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = Query })).GetProperty("result_id").GetString();

        var unknown = await server.CallErrorAsync("get_hunting_results", new() { ["result_id"] = id, ["columns"] = new[] { "a  b" } });
        var quoted = await server.CallErrorAsync("get_hunting_results", new() { ["result_id"] = id, ["columns"] = new[] { "['c-d']" } });
        var control = await server.CallErrorAsync("get_hunting_results", new() { ["result_id"] = id, ["columns"] = new[] { "a\u0001b" } });
        var tooLong = await server.CallErrorAsync("get_hunting_results", new() { ["result_id"] = id, ["columns"] = new[] { new string('a', 129) } });

        Assert.Equal(("invalid_input", "Unknown column(s): \"a  b\". Columns: \"a b\", \"c-d\", \"e,f\", DeviceName."), unknown);
        Assert.Equal(("invalid_input", "Unknown column(s): \"['c-d']\". Column names are case-sensitive and given without KQL quotes: did you mean \"c-d\"? Columns: \"a b\", \"c-d\", \"e,f\", DeviceName."), quoted);
        Assert.Equal("invalid_input", control.Code);
        Assert.Equal("invalid_input", tooLong.Code);
    }
}
