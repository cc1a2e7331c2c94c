using System.Text;
using System.Text.Json;
using DefenderMcp.Emulator.Control;

namespace DefenderMcp.Emulator.Tests;

/// <summary>The hostile rewrites of a real body: the envelope is kept, the item fields are attacked, deterministically.</summary>
public sealed class ShapeRewriterTests
{
    private const string Page = """{"@odata.context":"ctx","@odata.nextLink":"https://x/next","value":[{"id":"a1","count":3,"ok":true,"gone":null,"tags":["x","y"],"owner":{"upn":"u@x"}}]}""";

    private static JsonElement Rewrite(string mode, string json) =>
        JsonDocument.Parse(ShapeRewriter.Rewrite(mode, Encoding.UTF8.GetBytes(json))!, new JsonDocumentOptions { MaxDepth = 1000 }).RootElement;

    [Fact]
    public void Confused_keeps_the_envelope_and_gives_every_item_field_another_kind()
    {
        var page = Rewrite("confused", Page);
        var item = page.GetProperty("value")[0];

        Assert.Equal("ctx", page.GetProperty("@odata.context").GetString());
        Assert.Equal("https://x/next", page.GetProperty("@odata.nextLink").GetString());
        Assert.Equal(2, item.GetProperty("id").GetInt32());
        Assert.Equal("confused:3", item.GetProperty("count").GetString());
        Assert.Equal(JsonValueKind.Object, item.GetProperty("ok").ValueKind);
        Assert.Equal(JsonValueKind.Array, item.GetProperty("gone").ValueKind);
        Assert.Equal(2, item.GetProperty("tags").GetInt32());
        Assert.Equal("confused:object", item.GetProperty("owner").GetString());
    }

    [Fact]
    public void A_single_entity_is_its_own_item_and_its_arrays_hold_items()
    {
        var entity = Rewrite("confused", """{"@odata.context":"ctx","id":"4301","evidence":[{"sha1":"ab"}],"value":"https://uri"}""");

        Assert.Equal(4, entity.GetProperty("id").GetInt32());
        Assert.Equal(2, entity.GetProperty("evidence")[0].GetProperty("sha1").GetInt32());
        Assert.Equal(11, entity.GetProperty("value").GetInt32());
    }

    [Fact]
    public void Hunting_schema_and_results_stay_arrays_of_objects()
    {
        var hunt = Rewrite("confused", """{"schema":[{"name":"A","type":"String"}],"results":[{"A":"x"}]}""");

        Assert.Equal(1, hunt.GetProperty("schema")[0].GetProperty("name").GetInt32());
        Assert.Equal(1, hunt.GetProperty("results")[0].GetProperty("A").GetInt32());
    }

    [Fact]
    public void Nulls_empties_every_leaf_inside_items_and_keeps_the_nesting()
    {
        var item = Rewrite("nulls", Page).GetProperty("value")[0];

        Assert.Equal(JsonValueKind.Null, item.GetProperty("id").ValueKind);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("ok").ValueKind);
        Assert.Equal([JsonValueKind.Null, JsonValueKind.Null], item.GetProperty("tags").EnumerateArray().Select(e => e.ValueKind));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("owner").GetProperty("upn").ValueKind);
    }

    [Fact]
    public void Deep_buries_each_item_field_beyond_the_default_parser_depth()
    {
        var bytes = ShapeRewriter.Rewrite("deep", Encoding.UTF8.GetBytes(Page))!;
        var id = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 1000 }).RootElement.GetProperty("value")[0].GetProperty("id");
        for (var i = 0; i < ShapeRewriter.DeepNesting; i++)
        {
            id = Assert.Single(id.EnumerateArray());
        }

        Assert.Equal("a1", id.GetString());
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(bytes));
    }

    [Fact]
    public void Huge_grows_the_body_by_about_a_megabyte_of_repeated_item_strings()
    {
        var bytes = ShapeRewriter.Rewrite("huge", Encoding.UTF8.GetBytes(Page))!;
        var page = JsonDocument.Parse(bytes).RootElement;

        Assert.InRange(bytes.Length - Page.Length, ShapeRewriter.HugeGrowth * 9 / 10, 2 * ShapeRewriter.HugeGrowth);
        Assert.Equal("https://x/next", page.GetProperty("@odata.nextLink").GetString());
        var id = page.GetProperty("value")[0].GetProperty("id").GetString()!;
        Assert.True(id.Length > 1000 && id.Replace("a1", string.Empty, StringComparison.Ordinal).Length == 0);
    }

    [Fact]
    public void Loop_empties_a_list_page_and_links_it_to_itself()
    {
        var self = new Uri("https://127.0.0.1:1/api/machines?$top=5");

        var page = JsonDocument.Parse(ShapeRewriter.Rewrite("loop", Encoding.UTF8.GetBytes(Page), self)!).RootElement;

        Assert.Equal(0, page.GetProperty("value").GetArrayLength());
        Assert.Equal(self.AbsoluteUri, page.GetProperty("@odata.nextLink").GetString());
        Assert.Null(ShapeRewriter.Rewrite("loop", Encoding.UTF8.GetBytes("""{"id":"4301"}"""), self));
    }

    [Fact]
    public void Envelope_gives_every_root_member_another_kind()
    {
        var page = Rewrite("envelope", Page);

        Assert.Equal(1, page.GetProperty("value").GetInt32());
        Assert.Equal(14, page.GetProperty("@odata.nextLink").GetInt32());
        Assert.Equal(3, page.GetProperty("@odata.context").GetInt32());
        Assert.Equal(JsonValueKind.Number, Rewrite("envelope", """{"schema":[],"results":[]}""").GetProperty("results").ValueKind);
    }

    [Fact]
    public void Long_ids_lengthens_only_the_item_fields_named_as_ids_to_the_longest_a_path_carries()
    {
        var page = Rewrite("long-ids", """{"@odata.nextLink":"https://x/next","value":[{"id":"da6371","incidentId":4301,"machineId":null,"title":"Suspicious","evidence":[{"deviceId":"d1"}],"tags":["x"]}]}""");
        var item = page.GetProperty("value")[0];

        Assert.Equal("https://x/next", page.GetProperty("@odata.nextLink").GetString());
        Assert.Equal("da6371-" + new string('x', ShapeRewriter.LongIdLength - 7), item.GetProperty("id").GetString());
        Assert.Equal("4301-" + new string('x', ShapeRewriter.LongIdLength - 5), item.GetProperty("incidentId").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("machineId").ValueKind);
        Assert.Equal("Suspicious", item.GetProperty("title").GetString());
        Assert.Equal("d1", item.GetProperty("evidence")[0].GetProperty("deviceId").GetString());
        Assert.Equal("x", item.GetProperty("tags")[0].GetString());
        Assert.Equal(ShapeRewriter.LongIdLength, Rewrite("long-ids", """{"id":"4301","status":"active"}""").GetProperty("id").GetString()!.Length);
    }

    [Theory]
    [InlineData("envelope")]
    [InlineData("confused")]
    [InlineData("nulls")]
    [InlineData("deep")]
    [InlineData("huge")]
    [InlineData("long-ids")]
    public void Every_mode_is_deterministic_and_leaves_a_non_json_body_alone(string mode)
    {
        Assert.Equal(ShapeRewriter.Rewrite(mode, Encoding.UTF8.GetBytes(Page)), ShapeRewriter.Rewrite(mode, Encoding.UTF8.GetBytes(Page)));
        Assert.Null(ShapeRewriter.Rewrite(mode, Encoding.UTF8.GetBytes("Get-Process\n")));
    }
}
