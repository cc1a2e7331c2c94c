using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

// A read of an id Defender does not know says which object, which id, which tenant and which tool lists such objects,
// not a bare "no such object in this tenant" that leaves the analyst guessing what was missing.
public sealed class ReadNotFoundTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Theory]
    [InlineData("get_incident", "incident_id", "999999", "No incident with incident_id '999999' in tenant 'contoso'. list_incidents")]
    [InlineData("get_alert", "alert_id", "da000000000000000000_-1", "No alert with alert_id 'da000000000000000000_-1' in tenant 'contoso'. list_alerts")]
    [InlineData("get_machine_action", "action_id", "5382f7ea-7557-4ab7-9782-d50480024a4e", "No machine action with action_id '5382f7ea-7557-4ab7-9782-d50480024a4e' in tenant 'contoso'. list_machine_actions")]
    [InlineData("get_detection_rule", "rule_id", "no-such-rule", "No custom detection rule with rule_id 'no-such-rule' in tenant 'contoso'. list_detection_rules")]
    [InlineData("get_file_info", "hash", "0000000000000000000000000000000000000000", "Defender knows no file with hash '0000000000000000000000000000000000000000' in tenant 'contoso'.")]
    [InlineData("get_device", "device", "ctso-nope", "No device with id or name 'ctso-nope' in tenant 'contoso'. list_devices")]
    [InlineData("get_device", "device", "0000000000000000000000000000000000000000", "No device with id or name '0000000000000000000000000000000000000000' in tenant 'contoso'. list_devices")]
    [InlineData("get_live_response_result", "action_id", "5382f7ea-7557-4ab7-9782-d50480024a4e", "No machine action with action_id '5382f7ea-7557-4ab7-9782-d50480024a4e' in tenant 'contoso'. Use the action_id run_live_response_script")]
    public async Task An_unknown_id_is_not_found_naming_the_object_the_id_the_tenant_and_the_list_tool(string tool, string parameter, string id, string expected)
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.LiveResponse);

        var args = new Dictionary<string, object?> { [parameter] = id };
        if (tool == "get_live_response_result")
        {
            args["command_index"] = 0;
        }

        var (code, message) = await server.CallErrorAsync(tool, args);

        Assert.Equal("not_found", code);
        Assert.StartsWith(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_fan_out_the_tenant_without_the_incident_is_named_and_the_other_still_answers()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("get_incident", new() { ["incident_id"] = "4301", ["tenant"] = "*" });

        var entries = result.GetProperty("results").EnumerateArray().ToDictionary(e => e.GetProperty("tenant").GetString()!);
        Assert.Equal("4301", entries["contoso"].GetProperty("result").GetProperty("incident").GetProperty("id").GetString());
        var error = entries["fabrikam"].GetProperty("error");
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Equal("No incident with incident_id '4301' in tenant 'fabrikam'. list_incidents shows the incidents and their ids.", error.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Undefined, entries["fabrikam"].TryGetProperty("result", out var none) ? none.ValueKind : JsonValueKind.Undefined);
    }
}
