using System.Text.Json;
using DefenderMcp.Cli;

namespace DefenderMcp.Tests.Cli;

/// <summary>
/// <c>call --arg name=value</c> parses the value as JSON when it can be, as --help says: a JSON string is its text
/// without the quotes (tenant="fabrikam" is the tenant fabrikam), and objects, arrays, numbers and booleans are sent
/// as themselves; text that is not JSON is sent as it was typed.
/// </summary>
public sealed class CallArgumentTests
{
    [Theory]
    [InlineData("tenant=\"fabrikam\"", "\"fabrikam\"")]
    [InlineData("severity=\"High\"", "\"High\"")]
    [InlineData("comment=\"a \\\"quoted\\\" word\"", "\"a \\u0022quoted\\u0022 word\"")]
    [InlineData("severity=High", "\"High\"")]
    [InlineData("query=DeviceInfo | take 1", "\"DeviceInfo | take 1\"")]
    [InlineData("device=0123", "\"0123\"")]
    [InlineData("limit=5", "5")]
    [InlineData("isolate=true", "true")]
    [InlineData("tenant=[\"contoso\",\"fabrikam\"]", "[\"contoso\",\"fabrikam\"]")]
    [InlineData("indicator={\"value\":\"evil.example\",\"count\":2}", "{\"value\":\"evil.example\",\"count\":2}")]
    [InlineData("empty=", "\"\"")]
    public void A_value_is_parsed_as_json_when_it_can_be(string pair, string sent)
    {
        var name = pair[..pair.IndexOf('=', StringComparison.Ordinal)];

        var arguments = CallCommand.ParseArguments(null, [pair]);

        Assert.Equal(sent, JsonSerializer.Serialize(arguments[name]));
    }

    [Fact]
    public void A_pair_overrides_the_same_name_in_json_with_its_parsed_value()
    {
        var arguments = CallCommand.ParseArguments("{\"tenant\":\"contoso\",\"limit\":3}", ["tenant=\"fabrikam\""]);

        Assert.Equal("\"fabrikam\"", JsonSerializer.Serialize(arguments["tenant"]));
        Assert.Equal("3", JsonSerializer.Serialize(arguments["limit"]));
    }
}
