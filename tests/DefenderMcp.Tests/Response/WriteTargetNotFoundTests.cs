using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Response;

// A write whose one target does not exist names what was not found, in which tenant, and the tool that lists such
// objects; before, every one answered "Not found: no such object in this tenant."
public sealed class WriteTargetNotFoundTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    public static TheoryData<string, string, string> Writes => new()
    {
        { "update_incident", """{"incident_id": "999999", "status": "resolved"}""", "No incident with incident_id '999999' in tenant 'contoso'; nothing was sent. list_incidents shows the incidents and their ids." },
        { "add_incident_comment", """{"incident_id": "999999", "comment": "c"}""", "No incident with incident_id '999999' in tenant 'contoso'; nothing was sent. list_incidents shows the incidents and their ids." },
        { "update_alert", """{"alert_id": "da000_nope", "status": "resolved"}""", "No alert with alert_id 'da000_nope' in tenant 'contoso'; nothing was sent. list_alerts shows the alerts and their ids." },
        { "update_detection_rule", """{"rule_id": "no-such-rule", "enabled": false}""", "No custom detection rule with rule_id 'no-such-rule' in tenant 'contoso'; nothing was sent. list_detection_rules shows the custom detection rules and their ids." },
        { "delete_detection_rule", """{"rule_id": "no-such-rule"}""", "No custom detection rule with rule_id 'no-such-rule' in tenant 'contoso'; nothing was sent. list_detection_rules shows the custom detection rules and their ids." },
        { "cancel_machine_action", """{"action_id": "00000000-0000-0000-0000-000000000000", "comment": "c"}""", "No machine action with action_id '00000000-0000-0000-0000-000000000000' in tenant 'contoso'; nothing was sent. list_machine_actions shows the machine actions and their ids." },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_write_to_an_unknown_object_names_it_and_the_tool_that_lists_such_objects(string tool, string json, string expected)
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        var writesBefore = await WritesAsync();
        var args = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!;

        var sent = await server.CallErrorAsync(tool, args);
        args["dry_run"] = true;
        var dryRun = await server.CallErrorAsync(tool, args);

        Assert.Equal(("not_found", expected), sent);
        Assert.Equal(("not_found", expected), dryRun);
        Assert.Equal(writesBefore, await WritesAsync());
        Assert.Equal("not_found", server.AuditLines().Last().GetProperty("error_code").GetString());
    }

    private async Task<int> WritesAsync() =>
        (await fixture.Control.GetRequestsAsync(TestContext.Current.CancellationToken)).Count(r => r.Method is "POST" or "PATCH" or "DELETE" && !r.Path.Contains("/oauth2/", StringComparison.Ordinal));
}
