using System.Text.Json.Nodes;
using DefenderMcp.Emulator.Control;

namespace DefenderMcp.Client.Tests;

// Its own emulator (class fixture); each test acts on its own machine or object, so tests do not see each other's writes.
public sealed class WritesAgainstEmulatorTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Machine> MachineAsync(DefenderClient client, int index) =>
        (await client.ListMachinesAsync(new MachineFilter(), 100, Ct)).OrderBy(m => m.Id, StringComparer.Ordinal).ElementAt(index);

    private async Task<int> PostsAsync(string pathPart, string tenant) =>
        (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST" && r.Tenant == tenant && r.Path.Contains(pathPart, StringComparison.Ordinal));

    [Fact]
    public async Task Isolate_returns_the_pending_action_which_can_be_read_listed_and_cancelled()
    {
        using var client = fixture.Client("contoso");
        var machine = await MachineAsync(client, 0);

        var action = await client.SendAsync(client.RequestMachineAction(machine.Id, MachineActionKind.Isolate, "Contain while we look", "selective"), Ct);
        var read = await client.GetMachineActionAsync(action.Id, Ct);
        var listed = await client.ListMachineActionsAsync(new MachineActionFilter { MachineId = machine.Id, Type = "Isolate" }, 10, Ct);
        var cancelled = await client.SendAsync(client.CancelMachineAction(action.Id, "False alarm"), Ct);

        Assert.Equal(("Isolate", "Selective", "Pending", machine.Id), (action.Type, action.Scope, action.Status, action.MachineId));
        Assert.Equal("Contain while we look", action.RequestorComment);
        Assert.Equal((action.Id, "Isolate"), (read.Id, read.Type));
        Assert.Contains(listed, a => a.Id == action.Id);
        Assert.All(listed, a => Assert.Equal(machine.Id, a.MachineId));
        Assert.Equal("Cancelled", cancelled.Status);
    }

    [Fact]
    public async Task Scan_and_quarantine_send_the_documented_casing()
    {
        using var client = fixture.Client("contoso");
        var machine = await MachineAsync(client, 1);

        var scan = await client.SendAsync(client.RequestMachineAction(machine.Id, MachineActionKind.RunAntivirusScan, "Sweep", "quick"), Ct);
        var quarantine = await client.SendAsync(client.RequestMachineAction(machine.Id, MachineActionKind.StopAndQuarantineFile, "Kill it", sha1: "5F1E0D0B0E2B8A1C6F2E3D4C5B6A79880A1B2C3D"), Ct);

        Assert.Equal(("RunAntiVirusScan", "Quick"), (scan.Type, scan.Scope));
        Assert.Equal(("StopAndQuarantineFile", "5f1e0d0b0e2b8a1c6f2e3d4c5b6a79880a1b2c3d"), (quarantine.Type, quarantine.RelatedFileIdentifier));
    }

    [Fact]
    public async Task A_503_on_a_write_is_sent_exactly_once_even_though_the_action_happened()
    {
        using var client = fixture.Client("fabrikam");
        var machine = (await client.ListMachinesAsync(new MachineFilter(), 100, Ct)).OrderBy(m => m.Id, StringComparer.Ordinal).First();
        var path = $"/api/machines/{machine.Id}/restrictCodeExecution";
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 503, Count = 1, Tenant = "fabrikam", PathPattern = path, AfterEffect = true }, Ct);

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => client.SendAsync(client.RequestMachineAction(machine.Id, MachineActionKind.RestrictAppExecution, "Lock down"), Ct));
        var actions = await client.ListMachineActionsAsync(new MachineActionFilter { MachineId = machine.Id, Type = "RestrictCodeExecution" }, 10, Ct);

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.Equal(1, await PostsAsync(path, "fabrikam"));
        Assert.Single(actions);
    }

    [Fact]
    public async Task A_preview_is_the_exact_request_and_sends_nothing()
    {
        using var client = fixture.Client("contoso");
        var machine = await MachineAsync(client, 2);
        var before = await PostsAsync(machine.Id, "contoso");

        var preview = client.RequestMachineAction(machine.Id, MachineActionKind.Isolate, "Dry run", "full").ToPreview();

        Assert.Equal("POST", preview.Method);
        Assert.Equal(new Uri(fixture.Emulator.BaseUri, $"api/machines/{machine.Id}/isolate").AbsoluteUri, preview.Url);
        Assert.Equal("{\"Comment\":\"Dry run\",\"IsolationType\":\"Full\"}", preview.Body);
        Assert.Equal(before, await PostsAsync(machine.Id, "contoso"));
    }

    [Fact]
    public async Task An_app_without_the_action_role_is_permission_denied_naming_it()
    {
        using var client = fixture.Client("contoso", limited: true);

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => client.SendAsync(client.RequestMachineAction("ctso-any", MachineActionKind.Offboard, "Bye"), Ct));

        Assert.Equal(DefenderErrorCode.PermissionDenied, error.Code);
        Assert.Equal("Machine.Offboard", error.MissingRole);
    }

    [Fact]
    public async Task Incident_update_and_comment_round_trip()
    {
        using var client = fixture.Client("contoso");
        var incident = (await client.ListIncidentsAsync(new IncidentFilter(Status: "active"), 50, Ct)).Last();

        var updated = await client.SendAsync(client.UpdateIncident(incident.Id, new IncidentUpdate { Status = "resolved", Classification = "truePositive", Determination = "malware", CustomTags = ["client-test"] }), Ct);
        var comments = await client.SendAsync(client.CommentOnIncident(incident.Id, "Looked at it"), Ct);
        var reread = await client.GetIncidentAsync(incident.Id, Ct);

        Assert.Equal(("resolved", "truePositive", "malware"), (updated.Status, updated.Classification, updated.Determination));
        Assert.Equal(["client-test"], updated.CustomTags);
        Assert.Equal("Looked at it", comments[^1].Comment);
        Assert.Contains(reread.Comments, c => c.Comment == "Looked at it");
    }

    [Fact]
    public async Task Alert_update_returns_the_new_state()
    {
        using var client = fixture.Client("fabrikam");
        var alert = (await client.ListAlertsAsync(new AlertFilter(Status: "new"), 50, Ct)).Last();

        var updated = await client.SendAsync(client.UpdateAlert(alert.Id, new AlertUpdate { Status = "resolved", Classification = "falsePositive", Determination = "notMalicious" }), Ct);

        Assert.Equal(("resolved", "falsePositive"), (updated.Status, updated.Classification));
    }

    [Fact]
    public async Task Indicators_add_import_list_and_delete()
    {
        using var client = fixture.Client("fabrikam");
        var domain = $"bad-{Guid.NewGuid():N}.example";
        IndicatorRequest Ioc(string value, string type) => new() { IndicatorValue = value, IndicatorType = type, Action = "block", Title = "Client test", Description = "From the client tests", Severity = "high" };

        var added = await client.SendAsync(client.AddIndicator(Ioc(domain, "DomainName")), Ct);
        var imported = await client.SendAsync(client.ImportIndicators([Ioc("10.9.8.7", "IpAddress"), Ioc("2.2.2." + Random.Shared.Next(1, 250), "IpAddress")]), Ct);
        var listed = await client.ListIndicatorsAsync(1000, Ct);
        await client.SendAsync(client.DeleteIndicator(added.Id), Ct);
        await client.SendAsync(client.DeleteIndicators([.. imported.Select(i => i.Id!)]), Ct);
        var after = await client.ListIndicatorsAsync(1000, Ct);

        Assert.Equal(("DomainName", "Block", "High"), (added.IndicatorType, added.Action, added.Severity));
        Assert.All(imported, i => Assert.False(i.IsFailed));
        Assert.Contains(listed, i => i.IndicatorValue == domain && i.GenerateAlert == false && i.Description == "From the client tests");
        Assert.DoesNotContain(after, i => i.IndicatorValue == domain);
        Assert.DoesNotContain(after, i => imported.Any(x => x.Id == i.Id));
    }

    [Fact]
    public async Task Detection_rules_create_read_update_and_delete_in_the_current_schema()
    {
        using var client = fixture.Client("contoso");
        var rule = new DetectionRuleRequest
        {
            Id = "client-test-rule",
            DisplayName = "Client test rule",
            QueryText = "DeviceProcessEvents | take 1",
            Frequency = "PT12H",
            AlertTitle = "t",
            Severity = "medium",
            Tactic = "Execution",
            Techniques = ["T1059.001"],
        };

        var created = await client.SendAsync(client.CreateDetectionRule(rule), Ct);
        var duplicate = await Assert.ThrowsAsync<DefenderApiException>(() => client.SendAsync(client.CreateDetectionRule(rule), Ct));
        var updated = await client.SendAsync(client.UpdateDetectionRule(created.Id, new DetectionRuleUpdate { Frequency = "P1D", Status = "disabled" }), Ct);
        var read = await client.GetDetectionRuleAsync(created.Id, Ct);
        await client.SendAsync(client.DeleteDetectionRule(created.Id), Ct);
        var gone = await Assert.ThrowsAsync<DefenderApiException>(() => client.GetDetectionRuleAsync(created.Id, Ct));

        Assert.Equal(("client-test-rule", "Client test rule", "enabled", "DeviceProcessEvents | take 1", "PT12H", "medium"), (created.Id, created.DisplayName, created.Status, created.QueryText, created.Frequency, created.Severity));
        Assert.Equal((409, DefenderErrorCode.Conflict), (duplicate.HttpStatus, duplicate.Code));
        Assert.Equal(("P1D", "disabled"), (updated.Frequency, updated.Status));
        Assert.Equal("Client test rule", read.DisplayName);
        Assert.Equal(DefenderErrorCode.NotFound, gone.Code);
    }

    [Fact]
    public async Task Mde_lists_page_with_top_and_skip()
    {
        using var client = fixture.Client("contoso", mdePageSize: 3);
        var before = (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Path == "/api/machines" && r.Tenant == "contoso");

        var machines = await client.ListMachinesAsync(new MachineFilter(), 7, Ct);

        Assert.Equal(7, machines.Count);
        Assert.Equal(7, machines.Select(m => m.Id).Distinct().Count());
        Assert.Equal(before + 3, (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Path == "/api/machines" && r.Tenant == "contoso"));
    }
}
