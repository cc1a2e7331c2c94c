using System.Text;
using System.Text.Json;
using DefenderMcp.Emulator.Hunting;
using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class DynamicAccessTests
{
    [Theory]
    [InlineData("Events | where AdditionalFields.Command == 'whoami' | count", 1L)]
    [InlineData("Events | where AdditionalFields['Command'] has 'mimikatz' | count", 1L)]
    [InlineData("Events | where AdditionalFields.Nested.Level =~ 'HIGH' | count", 1L)]
    [InlineData("Events | where toint(AdditionalFields.Count) > 2 | count", 1L)]
    [InlineData("Events | where isnull(AdditionalFields.Missing) | count", 3L)]
    [InlineData("Events | where AdditionalFields has 'whoami' | count", 1L)]
    [InlineData("Proc | where Tags[0] == 'a' | count", 1L)]
    [InlineData("Proc | where Tags[-1] == 'b' | count", 1L)]
    [InlineData("Proc | where isnull(Tags[5]) | count", 4L)]
    public void Dynamic_members_filter(string query, long expected) => Assert.Equal(expected, Single(Run(query), "Count"));

    [Fact]
    public void Dynamic_members_project_with_kql_names_and_cell_types()
    {
        var result = Run("Events | project AdditionalFields.Command, Level = AdditionalFields.Nested.Level, Second = AdditionalFields.List[1], Nested = AdditionalFields.Nested, K = tostring(parse_json(Raw).k), N = toint(AdditionalFields.Count)");

        Assert.Equal(["AdditionalFields_Command", "Level", "Second", "Nested", "K", "N"], Names(result));
        Assert.Equal(["dynamic", "dynamic", "dynamic", "dynamic", "string", "int"], Types(result));
        Assert.Equal(new object?[] { "Invoke-Mimikatz", "high", 2L, "{\"Level\":\"high\"}", "v", 3 }, result.Rows[0]);
        Assert.Equal(new object?[] { "whoami", null, null, null, string.Empty, 1 }, result.Rows[1]);
        Assert.Equal(new object?[] { null, null, null, null, string.Empty, null }, result.Rows[2]);
    }

    [Fact]
    public void Dynamic_members_group_and_write_as_json()
    {
        var result = Run("Events | summarize n = count() by Command = tostring(AdditionalFields.Command) | sort by Command asc");
        var nested = Run("Events | take 1 | project Nested = AdditionalFields.Nested, Command = AdditionalFields.Command");

        Assert.Equal(["", "Invoke-Mimikatz", "whoami"], Column(result, "Command"));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            HuntingResultWriter.Write(writer, nested);
        }

        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(buffer.ToArray()));
        var row = document.RootElement.GetProperty("results")[0];
        Assert.Equal("high", row.GetProperty("Nested").GetProperty("Level").GetString());
        Assert.Equal("Invoke-Mimikatz", row.GetProperty("Command").GetString());
    }
}
