using DefenderMcp.Emulator.Hunting;
using System.Text;
using System.Text.Json;
using DefenderMcp.Kql.Schema;
using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class ResultWriterTests
{
    private static string Write(HuntingQueryResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            HuntingResultWriter.Write(writer, result);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Fact]
    public void Writes_the_graph_shape_with_api_type_names()
    {
        var stamp = new DateTime(2024, 3, 26, 9, 39, 50, DateTimeKind.Utc).AddTicks(7688641);
        HuntingColumnSchema[] schema =
        [
            new("Timestamp", "datetime"), new("FileName", "string"), new("Size", "long"), new("Pid", "int"), new("Admin", "bool"),
            new("Score", "real"), new("Tags", "dynamic"), new("Age", "timespan"),
        ];
        var result = new HuntingQueryResult(schema, [[stamp, "cmd.exe", 5L, 7, true, 0.25, "[\"a\",{\"b\":1}]", TimeSpan.FromMinutes(90)]]);

        using var document = JsonDocument.Parse(Write(result));
        var root = document.RootElement;

        Assert.Equal(["@odata.context", "schema", "results"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults", root.GetProperty("@odata.context").GetString());
        Assert.Equal(schema.Select(c => c.Name), root.GetProperty("schema").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(["DateTime", "String", "Int64", "Int32", "Boolean", "Double", "Object", "TimeSpan"], root.GetProperty("schema").EnumerateArray().Select(c => c.GetProperty("type").GetString()));
        var row = Assert.Single(root.GetProperty("results").EnumerateArray().ToArray());
        Assert.Equal("2024-03-26T09:39:50.7688641Z", row.GetProperty("Timestamp").GetString());
        Assert.Equal("cmd.exe", row.GetProperty("FileName").GetString());
        Assert.Equal(5L, row.GetProperty("Size").GetInt64());
        Assert.Equal(7, row.GetProperty("Pid").GetInt32());
        Assert.True(row.GetProperty("Admin").GetBoolean());
        Assert.Equal(0.25, row.GetProperty("Score").GetDouble());
        Assert.Equal(JsonValueKind.Array, row.GetProperty("Tags").ValueKind);
        Assert.Equal(1, row.GetProperty("Tags")[1].GetProperty("b").GetInt32());
        Assert.Equal("01:30:00", row.GetProperty("Age").GetString());
    }

    [Fact]
    public void Writes_exactly_the_documented_bytes()
    {
        var result = Run("Proc | where Device == 'pc1' | project Timestamp, FileName = File, Size, Admin, Tags | take 1");

        Assert.Equal(
            "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults\"," +
            "\"schema\":[{\"name\":\"Timestamp\",\"type\":\"DateTime\"},{\"name\":\"FileName\",\"type\":\"String\"},{\"name\":\"Size\",\"type\":\"Int64\"},{\"name\":\"Admin\",\"type\":\"Boolean\"},{\"name\":\"Tags\",\"type\":\"Object\"}]," +
            "\"results\":[{\"Timestamp\":\"2026-01-10T11:00:00.0000000Z\",\"FileName\":\"powershell.exe\",\"Size\":100,\"Admin\":true,\"Tags\":[\"a\",\"b\"]}]}",
            Write(result));
    }

    [Fact]
    public void Datetimes_always_have_seven_digits_and_z()
    {
        var result = new HuntingQueryResult([new("T", "datetime"), new("U", "datetime")], [[new DateTime(2026, 1, 10, 12, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 10, 12, 0, 0, DateTimeKind.Unspecified)]]);

        Assert.Contains("\"T\":\"2026-01-10T12:00:00.0000000Z\",\"U\":\"2026-01-10T12:00:00.0000000Z\"", Write(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Nulls_non_json_dynamics_non_finite_reals_and_odd_names_stay_valid_json()
    {
        var result = new HuntingQueryResult(
            [new("S", "string"), new("D", "dynamic"), new("Bad", "dynamic"), new("R", "real"), new("Quote\"Name", "string"), new("N", "long")],
            [[null, null, "not json {", double.NaN, "line\nbreak \"quoted\" é", null]]);

        using var document = JsonDocument.Parse(Write(result));
        var row = document.RootElement.GetProperty("results")[0];

        Assert.Equal(JsonValueKind.Null, row.GetProperty("S").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("D").ValueKind);
        Assert.Equal("not json {", row.GetProperty("Bad").GetString());
        Assert.Equal("NaN", row.GetProperty("R").GetString());
        Assert.Equal("line\nbreak \"quoted\" é", row.GetProperty("Quote\"Name").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("N").ValueKind);
    }

    [Fact]
    public void An_empty_result_still_has_its_schema()
    {
        using var document = JsonDocument.Parse(Write(Run("Proc | where Device == 'none' | project Device, Size")));

        Assert.Equal(2, document.RootElement.GetProperty("schema").GetArrayLength());
        Assert.Equal(0, document.RootElement.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public void Engine_results_round_trip_through_the_writer()
    {
        var result = Run("Proc | summarize n = count(), files = make_set(File), last = max(Timestamp), mean = avg(Size) by Device | sort by Device asc");

        using var document = JsonDocument.Parse(Write(result));
        var root = document.RootElement;

        Assert.Equal(["String", "Int64", "Object", "DateTime", "Double"], root.GetProperty("schema").EnumerateArray().Select(c => c.GetProperty("type").GetString()));
        var pc1 = root.GetProperty("results")[0];
        Assert.Equal("pc1", pc1.GetProperty("Device").GetString());
        Assert.Equal(2, pc1.GetProperty("n").GetInt64());
        Assert.Equal(["powershell.exe", "cmd.exe"], pc1.GetProperty("files").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("2026-01-10T11:00:00.0000000Z", pc1.GetProperty("last").GetString());
        Assert.Equal(75.0, pc1.GetProperty("mean").GetDouble());
    }
}
