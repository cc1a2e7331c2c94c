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

    private static readonly FakeClient Fake = new(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, "{}")));

    private static DefenderClient C => Fake.Client;

    public static TheoryData<string, string, string, string?> Requests() => new()
    {
        { "isolate", "POST", Mde + "api/machines/m1/isolate", "{\"Comment\":\"c\",\"IsolationType\":\"Selective\"}" },
        { "release", "POST", Mde + "api/machines/m1/unisolate", "{\"Comment\":\"c\"}" },
        { "restrict", "POST", Mde + "api/machines/m1/restrictCodeExecution", "{\"Comment\":\"c\"}" },
        { "unrestrict", "POST", Mde + "api/machines/m1/unrestrictCodeExecution", "{\"Comment\":\"c\"}" },
        { "scan", "POST", Mde + "api/machines/m1/runAntiVirusScan", "{\"Comment\":\"c\",\"ScanType\":\"Full\"}" },
        { "package", "POST", Mde + "api/machines/m1/collectInvestigationPackage", "{\"Comment\":\"c\"}" },
        { "quarantine", "POST", Mde + "api/machines/m1/StopAndQuarantineFile", "{\"Comment\":\"c\",\"Sha1\":\"" + Sha1 + "\"}" },
        { "offboard", "POST", Mde + "api/machines/m1/offboard", "{\"Comment\":\"c\"}" },
        { "cancel", "POST", Mde + "api/machineactions/a1/cancel", "{\"Comment\":\"c\"}" },
        { "incident", "PATCH", Graph + "v1.0/security/incidents/7", "{\"status\":\"resolved\",\"assignedTo\":\"ann@contoso.com\",\"classification\":\"truePositive\",\"determination\":\"malware\",\"customTags\":[\"x\"]}" },
        { "comment", "POST", Graph + "v1.0/security/incidents/7/comments", "{\"@odata.type\":\"microsoft.graph.security.alertComment\",\"comment\":\"c\"}" },
        { "alert", "PATCH", Graph + "v1.0/security/alerts_v2/da1", "{\"status\":\"inProgress\",\"assignedTo\":\"\"}" },
        { "indicator", "POST", Mde + "api/indicators", "{\"indicatorValue\":\"evil.example\",\"indicatorType\":\"DomainName\",\"action\":\"Block\",\"title\":\"t\",\"description\":\"d\",\"expirationTime\":\"2027-01-01T00:00:00Z\",\"severity\":\"High\",\"rbacGroupNames\":[\"Servers\"]}" },
        { "import", "POST", Mde + "api/indicators/import", "{\"Indicators\":[{\"indicatorValue\":\"1.2.3.4\",\"indicatorType\":\"IpAddress\",\"action\":\"Audit\",\"title\":\"t\",\"description\":\"d\",\"generateAlert\":true}]}" },
        { "delete", "DELETE", Mde + "api/indicators/995", null },
        { "batch", "POST", Mde + "api/indicators/BatchDelete", "{\"IndicatorIds\":[\"1\",\"2\"]}" },
        { "rule-delete", "DELETE", Graph + "beta/security/rules/detectionRules/35001", null },
    };

    private static DefenderRequest Build(string name) => name switch
    {
        "isolate" => C.IsolateRequest("m1", "c", "selective"),
        "release" => C.ReleaseRequest("m1", "c"),
        "restrict" => C.RestrictAppExecutionRequest("m1", "c"),
        "unrestrict" => C.RemoveAppRestrictionRequest("m1", "c"),
        "scan" => C.RunAntivirusScanRequest("m1", "c", "FULL"),
        "package" => C.CollectInvestigationPackageRequest("m1", "c"),
        "quarantine" => C.StopAndQuarantineFileRequest("m1", "c", Sha1),
        "offboard" => C.OffboardRequest("m1", "c"),
        "cancel" => C.CancelMachineActionRequest("a1", "c"),
        "incident" => C.UpdateIncidentRequest("7", new IncidentUpdate { Status = "resolved", AssignedTo = "ann@contoso.com", Classification = "truePositive", Determination = "malware", CustomTags = ["x"] }),
        "comment" => C.IncidentCommentRequest("7", "c"),
        "alert" => C.UpdateAlertRequest("da1", new AlertUpdate { Status = "inProgress", AssignedTo = string.Empty }),
        "indicator" => C.AddIndicatorRequest(new IndicatorRequest { IndicatorValue = "evil.example", IndicatorType = "domainname", Action = "block", Title = "t", Description = "d", ExpirationTime = new DateTimeOffset(2027, 1, 1, 1, 0, 0, TimeSpan.FromHours(1)), Severity = "high", RbacGroupNames = ["Servers"] }),
        "import" => C.ImportIndicatorsRequest([new IndicatorRequest { IndicatorValue = "1.2.3.4", IndicatorType = "IpAddress", Action = "Audit", Title = "t", Description = "d", GenerateAlert = true }]),
        "delete" => C.DeleteIndicatorRequest("995"),
        "batch" => C.BatchDeleteIndicatorsRequest(["1", "2"]),
        _ => C.DeleteDetectionRuleRequest("35001"),
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Every_write_previews_the_exact_request_and_is_marked_write(string name, string method, string url, string? body)
    {
        var request = Build(name);
        var preview = request.ToPreview();

        Assert.Equal((method, url, body), (preview.Method, preview.Url, preview.Body));
        Assert.Equal(OperationKind.Write, request.Kind);
    }

    [Fact]
    public void The_named_isolation_preview_matches_the_generic_one()
    {
        Assert.Equal(DefenderClient.Preview(C.IsolateRequest("m1", "c", "Full")), C.PreviewIsolate("m1", "c", "full"));
    }

    public static TheoryData<string> BadWrites() => ["isolation type", "scan type", "sha1", "blank comment", "control comment", "long comment", "empty update", "bad status", "audit without alert", "bad indicator type", "no indicators", "too many indicators", "bad batch id", "path id"];

    [Theory]
    [MemberData(nameof(BadWrites))]
    public async Task Bad_write_arguments_are_invalid_input_and_nothing_is_sent(string bad)
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, "{\"id\":\"x\"}")));
        var c = fake.Client;
        var ioc = new IndicatorRequest { IndicatorValue = "1.2.3.4", IndicatorType = "IpAddress", Action = "Block", Title = "t", Description = "d" };
        Func<Task> act = bad switch
        {
            "isolation type" => () => c.IsolateMachineAsync("m1", "c", "Partial", TestContext.Current.CancellationToken),
            "scan type" => () => c.RunAntivirusScanAsync("m1", "c", "Deep", TestContext.Current.CancellationToken),
            "sha1" => () => c.StopAndQuarantineFileAsync("m1", "c", "abc", TestContext.Current.CancellationToken),
            "blank comment" => () => c.ReleaseMachineAsync("m1", "  ", TestContext.Current.CancellationToken),
            "control comment" => () => c.OffboardMachineAsync("m1", "a\u0000b", TestContext.Current.CancellationToken),
            "long comment" => () => c.CancelMachineActionAsync("a1", new string('c', 4001), TestContext.Current.CancellationToken),
            "empty update" => () => c.UpdateIncidentAsync("7", new IncidentUpdate(), TestContext.Current.CancellationToken),
            "bad status" => () => c.UpdateAlertAsync("a", new AlertUpdate { Status = "resolved'" }, TestContext.Current.CancellationToken),
            "audit without alert" => () => c.AddIndicatorAsync(ioc with { Action = "Audit" }, TestContext.Current.CancellationToken),
            "bad indicator type" => () => c.AddIndicatorAsync(ioc with { IndicatorType = "Cidr" }, TestContext.Current.CancellationToken),
            "no indicators" => () => c.ImportIndicatorsAsync([], TestContext.Current.CancellationToken),
            "too many indicators" => () => c.ImportIndicatorsAsync([.. Enumerable.Repeat(ioc, 501)], TestContext.Current.CancellationToken),
            "bad batch id" => () => c.BatchDeleteIndicatorsAsync(["1", "../2"], TestContext.Current.CancellationToken),
            _ => () => c.IsolateMachineAsync("m1/../../x", "c", "Full", TestContext.Current.CancellationToken),
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
            _ => FakeHandler.Json(HttpStatusCode.Created, "{\"id\":\"5382f7ea\",\"type\":\"Isolate\",\"scope\":\"Full\",\"status\":\"Pending\",\"machineId\":\"m1\",\"lastUpdateTimeUtc\":\"2019-01-02T14:40:44Z\",\"relatedFileInfo\":null}"),
        })));
        var ioc = new IndicatorRequest { IndicatorValue = "1.2.3.4", IndicatorType = "IpAddress", Action = "Block", Title = "t", Description = "d" };

        var results = await fake.Client.ImportIndicatorsAsync([ioc, ioc with { IndicatorValue = "5.6.7.8" }], TestContext.Current.CancellationToken);
        var comments = await fake.Client.AddIncidentCommentAsync("7", "new", TestContext.Current.CancellationToken);
        await fake.Client.DeleteIndicatorAsync("995", TestContext.Current.CancellationToken);
        var action = await fake.Client.IsolateMachineAsync("m1", "c", "Full", TestContext.Current.CancellationToken);

        Assert.Equal([new IndicatorImportResult("2841", "1.2.3.4", false, null), new IndicatorImportResult(null, "5.6.7.8", true, "Duplicate")], results);
        Assert.Equal([("old", "a"), ("new", "b")], comments.Select(x => (x.Comment!, x.CreatedByDisplayName!)));
        Assert.Equal(("Isolate", "Pending", new DateTimeOffset(2019, 1, 2, 14, 40, 44, TimeSpan.Zero)), (action.Type, action.Status, action.LastUpdateDateTimeUtc!.Value));
        Assert.Null(action.RelatedFileIdentifier);
    }
}
