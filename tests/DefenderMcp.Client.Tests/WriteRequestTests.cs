using System.Net;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Tests.Fakes;

namespace DefenderMcp.Client.Tests;

// Writes are built as requests first: these check the exact method, URL and body, and the checks before sending.
public sealed class WriteRequestTests
{
    private const string Mde = "https://api.security.microsoft.com/";
    private const string Graph = "https://graph.microsoft.com/";
    private const string Sha1 = "0123456789abcdef0123456789abcdef01234567";
    private const string UserId = "29f270bb-4d23-4f68-8a57-dc73dc0d4caf";

    private static readonly FakeClient Fake = new(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, "{}")));

    private static DefenderClient C => Fake.Client;

    public static TheoryData<string, string, string, string?, string> Requests() => new()
    {
        { "isolate", "POST", Mde + "api/machines/m1/isolate", "{\"Comment\":\"c\",\"IsolationType\":\"Selective\"}", "mde:machines/isolate" },
        { "release", "POST", Mde + "api/machines/m1/unisolate", "{\"Comment\":\"c\"}", "mde:machines/unisolate" },
        { "restrict", "POST", Mde + "api/machines/m1/restrictCodeExecution", "{\"Comment\":\"c\"}", "mde:machines/restrictCodeExecution" },
        { "unrestrict", "POST", Mde + "api/machines/m1/unrestrictCodeExecution", "{\"Comment\":\"c\"}", "mde:machines/unrestrictCodeExecution" },
        { "scan", "POST", Mde + "api/machines/m1/runAntiVirusScan", "{\"Comment\":\"c\",\"ScanType\":\"Full\"}", "mde:machines/runAntiVirusScan" },
        { "scan-default", "POST", Mde + "api/machines/m1/runAntiVirusScan", "{\"Comment\":\"c\",\"ScanType\":\"Quick\"}", "mde:machines/runAntiVirusScan" },
        { "package", "POST", Mde + "api/machines/m1/collectInvestigationPackage", "{\"Comment\":\"c\"}", "mde:machines/collectInvestigationPackage" },
        { "quarantine", "POST", Mde + "api/machines/m1/StopAndQuarantineFile", "{\"Comment\":\"c\",\"Sha1\":\"" + Sha1 + "\"}", "mde:machines/StopAndQuarantineFile" },
        { "offboard", "POST", Mde + "api/machines/m1/offboard", "{\"Comment\":\"c\"}", "mde:machines/offboard" },
        { "cancel", "POST", Mde + "api/machineactions/a1/cancel", "{\"Comment\":\"c\"}", "mde:machineactions/cancel" },
        { "incident", "PATCH", Graph + "v1.0/security/incidents/7", "{\"status\":\"resolved\",\"assignedTo\":\"ann@contoso.com\",\"classification\":\"truePositive\",\"determination\":\"malware\",\"customTags\":[\"x\"]}", "graph" },
        { "comment", "POST", Graph + "v1.0/security/incidents/7/comments", "{\"@odata.type\":\"microsoft.graph.security.alertComment\",\"comment\":\"c\"}", "graph" },
        { "alert", "PATCH", Graph + "v1.0/security/alerts_v2/da1", "{\"status\":\"inProgress\",\"assignedTo\":\"ann@contoso.com\"}", "graph" },
        { "indicator", "POST", Mde + "api/indicators", "{\"indicatorValue\":\"evil.example\",\"indicatorType\":\"DomainName\",\"action\":\"Block\",\"title\":\"t\",\"description\":\"d\",\"generateAlert\":false,\"severity\":\"High\",\"expirationTime\":\"2027-01-01T00:00:00Z\",\"rbacGroupNames\":[\"Servers\"]}", "mde:indicators:submit" },
        { "import", "POST", Mde + "api/indicators/import", "{\"Indicators\":[{\"indicatorValue\":\"1.2.3.4\",\"indicatorType\":\"IpAddress\",\"action\":\"Audit\",\"title\":\"t\",\"description\":\"d\",\"generateAlert\":true}]}", "indicator-batch" },
        { "delete", "DELETE", Mde + "api/indicators/995", null, "mde:indicators:delete" },
        { "batch", "POST", Mde + "api/indicators/BatchDelete", "{\"IndicatorIds\":[\"1\",\"2\"]}", "indicator-batch" },
        { "rule-create", "POST", Graph + "beta/security/rules/detectionRules", "{\"id\":\"r\",\"displayName\":\"r\",\"status\":\"enabled\",\"queryCondition\":{\"queryText\":\"DeviceInfo\"},\"schedule\":{\"frequency\":\"PT1H\"},\"detectionAction\":{\"alertTemplate\":{\"title\":\"r\",\"description\":\"r\",\"severity\":\"low\",\"entityMappings\":{\"hosts\":[{\"deviceIdColumn\":\"DeviceId\"}]}}}}", "graph" },
        { "rule-update", "PATCH", Graph + "beta/security/rules/detectionRules/35001", "{\"status\":\"disabled\"}", "graph" },
        { "rule-delete", "DELETE", Graph + "beta/security/rules/detectionRules/35001", null, "graph" },
        { "revoke", "POST", Graph + "v1.0/users/" + UserId + "/revokeSignInSessions", null, "graph" },
        { "disable", "PATCH", Graph + "v1.0/users/" + UserId, "{\"accountEnabled\":false}", "graph" },
        { "enable", "PATCH", Graph + "v1.0/users/" + UserId, "{\"accountEnabled\":true}", "graph" },
        { "compromised", "POST", Graph + "v1.0/identityProtection/riskyUsers/confirmCompromised", "{\"userIds\":[\"" + UserId + "\"]}", "graph" },
        { "dismiss", "POST", Graph + "v1.0/identityProtection/riskyUsers/dismiss", "{\"userIds\":[\"" + UserId + "\"]}", "graph" },
    };

    private static DefenderRequest Build(string name) => name switch
    {
        "isolate" => C.RequestMachineAction("m1", MachineActionKind.Isolate, "c", "selective").Request,
        "release" => C.RequestMachineAction("m1", MachineActionKind.Release, "c").Request,
        "restrict" => C.RequestMachineAction("m1", MachineActionKind.RestrictAppExecution, "c").Request,
        "unrestrict" => C.RequestMachineAction("m1", MachineActionKind.RemoveAppRestriction, "c").Request,
        "scan" => C.RequestMachineAction("m1", MachineActionKind.RunAntivirusScan, "c", "FULL").Request,
        "scan-default" => C.RequestMachineAction("m1", MachineActionKind.RunAntivirusScan, "c").Request,
        "package" => C.RequestMachineAction("m1", MachineActionKind.CollectInvestigationPackage, "c").Request,
        "quarantine" => C.RequestMachineAction("m1", MachineActionKind.StopAndQuarantineFile, "c", sha1: Sha1.ToUpperInvariant()).Request,
        "offboard" => C.RequestMachineAction("m1", MachineActionKind.Offboard, "c").Request,
        "cancel" => C.CancelMachineAction("a1", "c").Request,
        "incident" => C.UpdateIncident("7", new IncidentUpdate { Status = "resolved", AssignedTo = "ann@contoso.com", Classification = "truePositive", Determination = "malware", CustomTags = ["x"] }).Request,
        "comment" => C.CommentOnIncident("7", "c").Request,
        "revoke" => C.RevokeSignInSessions(UserId.ToUpperInvariant()).Request,
        "disable" => C.SetAccountEnabled(UserId, false).Request,
        "enable" => C.SetAccountEnabled(UserId, true).Request,
        "compromised" => C.ConfirmUserCompromised(UserId).Request,
        "dismiss" => C.DismissUserRisk(UserId).Request,
        "alert" => C.UpdateAlert("da1", new AlertUpdate { Status = "inProgress", AssignedTo = "ann@contoso.com" }).Request,
        "indicator" => C.AddIndicator(new IndicatorRequest { IndicatorValue = "evil.example", IndicatorType = "domainname", Action = "block", Title = "t", Description = "d", ExpirationTime = new DateTimeOffset(2027, 1, 1, 1, 0, 0, TimeSpan.FromHours(1)), Severity = "high", RbacGroupNames = ["Servers"] }).Request,
        "import" => C.ImportIndicators([new IndicatorRequest { IndicatorValue = "1.2.3.4", IndicatorType = "IpAddress", Action = "Audit", Title = "t", Description = "d" }]).Request,
        "delete" => C.DeleteIndicator("995").Request,
        "batch" => C.DeleteIndicators(["1", "2"]).Request,
        "rule-create" => C.CreateDetectionRule(new DetectionRuleRequest { Id = "r", DisplayName = "r", QueryText = "DeviceInfo", Frequency = "PT1H", AlertTitle = "r", Severity = "low" }).Request,
        "rule-update" => C.UpdateDetectionRule("35001", new DetectionRuleUpdate { Status = "disabled" }).Request,
        _ => C.DeleteDetectionRule("35001").Request,
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Every_write_previews_the_exact_request_is_marked_write_and_names_its_rate_family(string name, string method, string url, string? body, string family)
    {
        var request = Build(name);
        var preview = request.ToPreview();

        Assert.Equal((method, url, body), (preview.Method, preview.Url, preview.Body));
        Assert.Equal(OperationKind.Write, request.Kind);
        Assert.Equal(family, request.Family.Key);
    }

    // get_server_status, doctor and the docs read the roles from AppRoles.Table: every role a write names must be the
    // first (the one to grant) of a write row of the same API; offboarding has its own row, behind allow_offboard.
    [Fact]
    public void Every_role_a_write_names_is_a_write_row_of_the_role_table()
    {
        var rows = AppRoles.Table.Where(r => r.Use is RoleUse.Write or RoleUse.Offboard or RoleUse.LiveResponse).ToList();

        var requests = Requests().Select(row => Build(row.Data.Item1)).ToList();

        // A cancel names the cancelled action's role first, then the alternatives in words.
        Assert.All(requests, r => Assert.Contains(rows, row => row.Api == r.Api && row.AnyOf.Contains(r.Role.Split(' ')[0])));
        Assert.Contains(DefenderClient.OffboardRoles, r => r.AnyOf.SequenceEqual(["Machine.Offboard"]));
        Assert.DoesNotContain(DefenderClient.WriteRoles, r => r.AnyOf.Contains("Machine.Offboard") && r.AnyOf.Count == 1);
        Assert.True(requests.Select(r => r.Role).Distinct().Count() >= 8);
    }

    // Identity writes target the object id only (a UPN is resolved first), and name their documented Graph permission.
    [Fact]
    public void Identity_writes_take_only_an_object_id_and_name_their_graph_permission()
    {
        Assert.Equal(DefenderErrorCode.InvalidInput, Assert.Throws<DefenderApiException>(() => C.SetAccountEnabled("adele@contoso.com", false)).Code);
        Assert.Equal(DefenderErrorCode.InvalidInput, Assert.Throws<DefenderApiException>(() => C.ConfirmUserCompromised("../x")).Code);
        Assert.Equal(
            ["User.RevokeSessions.All", "User.EnableDisableAccount.All", "IdentityRiskyUser.ReadWrite.All", "IdentityRiskyUser.ReadWrite.All"],
            [C.RevokeSignInSessions(UserId).Request.Role, C.SetAccountEnabled(UserId, true).Request.Role, C.ConfirmUserCompromised(UserId).Request.Role, C.DismissUserRisk(UserId).Request.Role]);
        Assert.True(DefenderClient.IsUserReference("adele.vance@contoso.com"));
        Assert.True(DefenderClient.IsUserReference("ann_fabrikam.com#EXT#@contoso.onmicrosoft.com"));
        Assert.False(DefenderClient.IsUserReference("adele.vance@contoso.com/../x"));
        Assert.False(DefenderClient.IsUserReference("adele.vance"));
    }

    // Graph documents null as "no owner"; whether "" unassigns is unconfirmed, so the client refuses it rather than
    // send a request whose effect nobody has seen (null in the update means "leave unchanged").
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_owner_is_refused_before_any_request(string owner)
    {
        Assert.Equal(DefenderErrorCode.InvalidInput, Assert.Throws<DefenderApiException>(() => C.UpdateAlert("da1", new AlertUpdate { AssignedTo = owner })).Code);
        Assert.Equal(DefenderErrorCode.InvalidInput, Assert.Throws<DefenderApiException>(() => C.UpdateIncident("7", new IncidentUpdate { AssignedTo = owner })).Code);
    }

    [Fact]
    public void Each_machine_action_kind_carries_the_documented_path_type_and_role()
    {
        Assert.Equal(
            [
                ("isolate", "Isolate", "Machine.Isolate"), ("unisolate", "Unisolate", "Machine.Isolate"),
                ("restrictCodeExecution", "RestrictCodeExecution", "Machine.RestrictExecution"), ("unrestrictCodeExecution", "UnrestrictCodeExecution", "Machine.RestrictExecution"),
                ("runAntiVirusScan", "RunAntiVirusScan", "Machine.Scan"), ("collectInvestigationPackage", "CollectInvestigationPackage", "Machine.CollectForensics"),
                ("StopAndQuarantineFile", "StopAndQuarantineFile", "Machine.StopAndQuarantine"), ("offboard", "Offboard", "Machine.Offboard"),
            ],
            MachineActionKind.All.Select(k => (k.Path, k.Type, k.Role)));
        Assert.Equal("Machine.Isolate", C.RequestMachineAction("m1", MachineActionKind.Isolate, "c").Request.Role);
        Assert.Equal("Machine.Offboard", C.RequestMachineAction("m1", MachineActionKind.Offboard, "c").Request.Role);
    }

    // Reconciled: the server allowed 1,000 characters, the client 4,000; the API documents no limit, so both now
    // enforce the 1,000 the tools advertise, for every machine action and its cancel.
    [Fact]
    public void A_machine_action_comment_is_at_most_1000_characters_in_the_client_too()
    {
        var longest = new string('c', 1000);

        Assert.Contains(longest, C.RequestMachineAction("m1", MachineActionKind.Isolate, longest).Request.JsonBody!, StringComparison.Ordinal);
        Assert.Contains(longest, C.CancelMachineAction("a1", longest).Request.JsonBody!, StringComparison.Ordinal);
        Assert.Equal(1000, MachineActionKind.MaxCommentLength);
        Assert.Equal(DefenderErrorCode.InvalidInput, Assert.Throws<DefenderApiException>(() => C.RequestMachineAction("m1", MachineActionKind.Isolate, longest + "c")).Code);
        Assert.Equal(DefenderErrorCode.InvalidInput, Assert.Throws<DefenderApiException>(() => C.CancelMachineAction("a1", longest + "c")).Code);
    }

    // Reconciled: the server derived generateAlert from the action, the client refused Audit without an explicit
    // true. Now one rule: unset, it follows the action (true for Audit); Audit with false is refused.
    [Theory]
    [InlineData("Audit", null, true)]
    [InlineData("Warn", null, false)]
    [InlineData("Block", null, false)]
    [InlineData("BlockAndRemediate", null, false)]
    [InlineData("Allowed", null, false)]
    [InlineData("Block", true, true)]
    [InlineData("Audit", true, true)]
    public void GenerateAlert_follows_the_action_unless_given(string action, bool? given, bool sent)
    {
        var request = C.AddIndicator(new IndicatorRequest { IndicatorValue = "1.2.3.4", IndicatorType = "IpAddress", Action = action, Title = "t", Description = "d", GenerateAlert = given });

        Assert.Contains($"\"generateAlert\":{(sent ? "true" : "false")}", request.Request.JsonBody!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Alert", "use Audit")]
    [InlineData("AlertAndBlock", "use Block with generate_alert: true")]
    [InlineData("alertandblock", "use Block with generate_alert: true")]
    public void A_retired_action_is_refused_naming_its_replacement(string action, string replacement)
    {
        var single = Assert.Throws<DefenderApiException>(() => C.AddIndicator(new IndicatorRequest { IndicatorValue = "1.2.3.4", IndicatorType = "IpAddress", Action = action, Title = "t", Description = "d" }));
        var batch = Assert.Throws<DefenderApiException>(() => C.ImportIndicators([new IndicatorRequest { IndicatorValue = "1.2.3.4", IndicatorType = "IpAddress", Action = action, Title = "t", Description = "d", GenerateAlert = true }]));

        foreach (var error in new[] { single, batch })
        {
            Assert.Equal(DefenderErrorCode.InvalidInput, error.Code);
            Assert.Contains("retired", error.Message, StringComparison.Ordinal);
            Assert.Contains(replacement, error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(["Allowed", "Audit", "Block", "BlockAndRemediate", "Warn"], IndicatorRules.Actions);
    }

    [Fact]
    public void Incident_statuses_offered_are_only_the_settable_ones()
    {
        Assert.Equal(["active", "resolved", "redirected"], TriageValues.IncidentStatuses);
        Assert.Equal(DefenderErrorCode.InvalidInput, Assert.Throws<DefenderApiException>(() => C.UpdateIncident("7", new IncidentUpdate { Status = "inProgress" })).Code);
        Assert.Contains("\"status\":\"redirected\"", C.UpdateIncident("7", new IncidentUpdate { Status = "redirected" }).Request.JsonBody!, StringComparison.Ordinal);
    }

    [Fact]
    public void An_audit_indicator_with_generateAlert_false_is_refused()
    {
        var error = Assert.Throws<DefenderApiException>(() => C.AddIndicator(new IndicatorRequest { IndicatorValue = "1.2.3.4", IndicatorType = "IpAddress", Action = "Audit", Title = "t", Description = "d", GenerateAlert = false }));

        Assert.Equal(DefenderErrorCode.InvalidInput, error.Code);
        Assert.Contains("generateAlert", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Determination_aliases_are_accepted_as_the_docs_spell_them()
    {
        Assert.Contains("\"determination\":\"notMalicious\"", C.UpdateAlert("a", new AlertUpdate { Determination = "notmalicious" }).Request.JsonBody!, StringComparison.Ordinal);
    }

    public static TheoryData<string> BadWrites() =>
    [
        "isolation type", "scan type", "choice on release", "sha1", "blank comment", "control comment", "long comment", "long cancel comment",
        "empty update", "bad status", "incident status on alert", "alert status on incident", "bad determination", "too many tags",
        "audit without alert", "bad indicator type", "bad indicator value", "cidr", "long title", "no indicators", "too many indicators",
        "bad batch id", "path id",
    ];

    [Theory]
    [MemberData(nameof(BadWrites))]
    public async Task Bad_write_arguments_are_invalid_input_and_nothing_is_sent(string bad)
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, "{\"id\":\"x\"}")));
        var c = fake.Client;
        var ioc = new IndicatorRequest { IndicatorValue = "1.2.3.4", IndicatorType = "IpAddress", Action = "Block", Title = "t", Description = "d" };
        Func<Task> act = bad switch
        {
            "isolation type" => () => c.SendAsync(c.RequestMachineAction("m1", MachineActionKind.Isolate, "c", "Partial"), Ct),
            "scan type" => () => c.SendAsync(c.RequestMachineAction("m1", MachineActionKind.RunAntivirusScan, "c", "Deep"), Ct),
            "choice on release" => () => c.SendAsync(c.RequestMachineAction("m1", MachineActionKind.Release, "c", "Full"), Ct),
            "sha1" => () => c.SendAsync(c.RequestMachineAction("m1", MachineActionKind.StopAndQuarantineFile, "c", sha1: "abc"), Ct),
            "blank comment" => () => c.SendAsync(c.RequestMachineAction("m1", MachineActionKind.Release, "  "), Ct),
            "control comment" => () => c.SendAsync(c.RequestMachineAction("m1", MachineActionKind.Offboard, "a\u0000b"), Ct),
            "long comment" => () => c.SendAsync(c.RequestMachineAction("m1", MachineActionKind.Release, new string('c', 1001)), Ct),
            "long cancel comment" => () => c.SendAsync(c.CancelMachineAction("a1", new string('c', 1001)), Ct),
            "empty update" => () => c.SendAsync(c.UpdateIncident("7", new IncidentUpdate()), Ct),
            "bad status" => () => c.SendAsync(c.UpdateAlert("a", new AlertUpdate { Status = "resolved'" }), Ct),
            "incident status on alert" => () => c.SendAsync(c.UpdateAlert("a", new AlertUpdate { Status = "active" }), Ct),
            "alert status on incident" => () => c.SendAsync(c.UpdateIncident("7", new IncidentUpdate { Status = "new" }), Ct),
            "bad determination" => () => c.SendAsync(c.UpdateIncident("7", new IncidentUpdate { Determination = "bogus" }), Ct),
            "too many tags" => () => c.SendAsync(c.UpdateIncident("7", new IncidentUpdate { CustomTags = [.. Enumerable.Range(0, 51).Select(i => $"t{i}")] }), Ct),
            "audit without alert" => () => c.SendAsync(c.AddIndicator(ioc with { Action = "Audit", GenerateAlert = false }), Ct),
            "bad indicator type" => () => c.SendAsync(c.AddIndicator(ioc with { IndicatorType = "Cidr" }), Ct),
            "bad indicator value" => () => c.SendAsync(c.AddIndicator(ioc with { IndicatorType = "FileSha256", IndicatorValue = Sha1 }), Ct),
            "cidr" => () => c.SendAsync(c.AddIndicator(ioc with { IndicatorValue = "10.0.0.0/8" }), Ct),
            "long title" => () => c.SendAsync(c.AddIndicator(ioc with { Title = new string('t', 201) }), Ct),
            "no indicators" => () => c.SendAsync(c.ImportIndicators([]), Ct),
            "too many indicators" => () => c.SendAsync(c.ImportIndicators([.. Enumerable.Repeat(ioc, 501)]), Ct),
            "bad batch id" => () => c.SendAsync(c.DeleteIndicators(["1", "../2"]), Ct),
            _ => () => c.SendAsync(c.RequestMachineAction("m1/../../x", MachineActionKind.Isolate, "c"), Ct),
        };

        var error = await Assert.ThrowsAsync<DefenderApiException>(act);

        Assert.Equal(DefenderErrorCode.InvalidInput, error.Code);
        Assert.Empty(fake.Handler.Sent);
    }

    [Fact]
    public async Task Typed_results_are_read_from_the_responses()
    {
        using var fake = new FakeClient(new FakeHandler((r, _, _) => Task.FromResult(r.RequestUri!.AbsolutePath switch
        {
            "/api/indicators/import" => FakeHandler.Json(HttpStatusCode.OK, "{\"value\":[{\"id\":\"2841\",\"indicator\":\"1.2.3.4\",\"isFailed\":false,\"failureReason\":null},{\"id\":null,\"indicator\":\"5.6.7.8\",\"isFailed\":true,\"failureReason\":\"Duplicate\"}]}"),
            "/v1.0/security/incidents/7/comments" => FakeHandler.Json(HttpStatusCode.OK, "{\"value\":[{\"comment\":\"old\",\"createdByDisplayName\":\"a\",\"createdDateTime\":\"2022-10-13T07:08:45Z\"},{\"comment\":\"new\",\"createdBy\":\"b\",\"createdTime\":\"2022-10-13T07:08:50Z\"}]}"),
            "/api/indicators/995" => new HttpResponseMessage(HttpStatusCode.NoContent),
            "/api/indicators/BatchDelete" => new HttpResponseMessage(HttpStatusCode.NoContent),
            _ => FakeHandler.Json(HttpStatusCode.Created, "{\"id\":\"5382f7ea\",\"type\":\"Isolate\",\"scope\":\"Full\",\"status\":\"Pending\",\"machineId\":\"m1\",\"lastUpdateTimeUtc\":\"2019-01-02T14:40:44Z\",\"relatedFileInfo\":null}"),
        })));
        var c = fake.Client;
        var ioc = new IndicatorRequest { IndicatorValue = "1.2.3.4", IndicatorType = "IpAddress", Action = "Block", Title = "t", Description = "d" };

        var results = await c.SendAsync(c.ImportIndicators([ioc, ioc with { IndicatorValue = "5.6.7.8" }]), Ct);
        var comments = await c.SendAsync(c.CommentOnIncident("7", "new"), Ct);
        var deleted = await c.SendAsync(c.DeleteIndicator("995"), Ct);
        var batch = await c.SendAsync(c.DeleteIndicators(["1", "2"]), Ct);
        var action = await c.SendAsync(c.RequestMachineAction("m1", MachineActionKind.Isolate, "c", "Full"), Ct);

        Assert.Equal([new IndicatorImportResult("2841", "1.2.3.4", false, null), new IndicatorImportResult(null, "5.6.7.8", true, "Duplicate")], results);
        Assert.Equal([("old", "a"), ("new", "b")], comments.Select(x => (x.Comment!, x.CreatedByDisplayName!)));
        Assert.Equal("995", deleted);
        Assert.Equal(["1", "2"], batch);
        Assert.Equal(("Isolate", "Pending", new DateTimeOffset(2019, 1, 2, 14, 40, 44, TimeSpan.Zero)), (action.Type, action.Status, action.LastUpdateDateTimeUtc!.Value));
        Assert.Null(action.RelatedFileIdentifier);
    }

    [Fact]
    public async Task A_write_that_must_answer_with_a_body_fails_on_an_empty_one()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => new HttpResponseMessage(HttpStatusCode.NoContent)));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.SendAsync(fake.Client.RequestMachineAction("m1", MachineActionKind.Release, "c"), Ct));

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
