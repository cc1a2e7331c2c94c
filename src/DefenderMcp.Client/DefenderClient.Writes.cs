using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client;

/// <summary>
/// Writes. Each one is first built as a <see cref="DefenderRequest"/> (method, URL, JSON body, role), which is either
/// previewed (<see cref="DefenderRequest.ToPreview"/>) for a dry run or sent. All are <see cref="OperationKind.Write"/>:
/// never retried after a 5xx or a timeout, because the service may already have acted.
/// </summary>
public sealed partial class DefenderClient
{
    /// <summary>The dry-run view of any built request.</summary>
    public static DefenderRequestPreview Preview(DefenderRequest request) => request.ToPreview();

    /// <summary>The dry-run view of an isolation.</summary>
    public DefenderRequestPreview PreviewIsolate(string machineId, string comment, string isolationType) => IsolateRequest(machineId, comment, isolationType).ToPreview();

    /// <summary>Isolates a machine: <c>IsolationType</c> Full, Selective or UnManagedDevice.</summary>
    public DefenderRequest IsolateRequest(string machineId, string comment, string isolationType) =>
        MachineActionCall(machineId, "isolate", comment, "Machine.Isolate", ("IsolationType", WriteValidation.OneOf(isolationType, "isolation type", "Full", "Selective", "UnManagedDevice")));

    /// <summary>Releases a machine from isolation.</summary>
    public DefenderRequest ReleaseRequest(string machineId, string comment) => MachineActionCall(machineId, "unisolate", comment, "Machine.Isolate");

    /// <summary>Restricts app execution to Microsoft-signed code.</summary>
    public DefenderRequest RestrictAppExecutionRequest(string machineId, string comment) => MachineActionCall(machineId, "restrictCodeExecution", comment, "Machine.RestrictExecution");

    /// <summary>Removes the app execution restriction.</summary>
    public DefenderRequest RemoveAppRestrictionRequest(string machineId, string comment) => MachineActionCall(machineId, "unrestrictCodeExecution", comment, "Machine.RestrictExecution");

    /// <summary>Starts an antivirus scan: <c>ScanType</c> Quick or Full.</summary>
    public DefenderRequest RunAntivirusScanRequest(string machineId, string comment, string scanType) =>
        MachineActionCall(machineId, "runAntiVirusScan", comment, "Machine.Scan", ("ScanType", WriteValidation.OneOf(scanType, "scan type", "Quick", "Full")));

    /// <summary>Collects an investigation package.</summary>
    public DefenderRequest CollectInvestigationPackageRequest(string machineId, string comment) => MachineActionCall(machineId, "collectInvestigationPackage", comment, "Machine.CollectForensics");

    /// <summary>Stops a file's processes and quarantines it, by SHA-1.</summary>
    public DefenderRequest StopAndQuarantineFileRequest(string machineId, string comment, string sha1) =>
        MachineActionCall(machineId, "StopAndQuarantineFile", comment, "Machine.StopAndQuarantine", ("Sha1", WriteValidation.Sha1(sha1)));

    /// <summary>Offboards a machine (Windows only; the sensor stops reporting).</summary>
    public DefenderRequest OffboardRequest(string machineId, string comment) => MachineActionCall(machineId, "offboard", comment, "Machine.Offboard");

    /// <summary>Isolates a machine.</summary>
    public Task<MachineAction> IsolateMachineAsync(string machineId, string comment, string isolationType, CancellationToken cancellationToken) =>
        SendAsync(IsolateRequest(machineId, comment, isolationType), GraphModelReader.ReadMachineAction, cancellationToken);

    /// <summary>Releases a machine from isolation.</summary>
    public Task<MachineAction> ReleaseMachineAsync(string machineId, string comment, CancellationToken cancellationToken) =>
        SendAsync(ReleaseRequest(machineId, comment), GraphModelReader.ReadMachineAction, cancellationToken);

    /// <summary>Restricts app execution.</summary>
    public Task<MachineAction> RestrictAppExecutionAsync(string machineId, string comment, CancellationToken cancellationToken) =>
        SendAsync(RestrictAppExecutionRequest(machineId, comment), GraphModelReader.ReadMachineAction, cancellationToken);

    /// <summary>Removes the app execution restriction.</summary>
    public Task<MachineAction> RemoveAppRestrictionAsync(string machineId, string comment, CancellationToken cancellationToken) =>
        SendAsync(RemoveAppRestrictionRequest(machineId, comment), GraphModelReader.ReadMachineAction, cancellationToken);

    /// <summary>Starts an antivirus scan.</summary>
    public Task<MachineAction> RunAntivirusScanAsync(string machineId, string comment, string scanType, CancellationToken cancellationToken) =>
        SendAsync(RunAntivirusScanRequest(machineId, comment, scanType), GraphModelReader.ReadMachineAction, cancellationToken);

    /// <summary>Collects an investigation package.</summary>
    public Task<MachineAction> CollectInvestigationPackageAsync(string machineId, string comment, CancellationToken cancellationToken) =>
        SendAsync(CollectInvestigationPackageRequest(machineId, comment), GraphModelReader.ReadMachineAction, cancellationToken);

    /// <summary>Stops and quarantines a file.</summary>
    public Task<MachineAction> StopAndQuarantineFileAsync(string machineId, string comment, string sha1, CancellationToken cancellationToken) =>
        SendAsync(StopAndQuarantineFileRequest(machineId, comment, sha1), GraphModelReader.ReadMachineAction, cancellationToken);

    /// <summary>Offboards a machine.</summary>
    public Task<MachineAction> OffboardMachineAsync(string machineId, string comment, CancellationToken cancellationToken) =>
        SendAsync(OffboardRequest(machineId, comment), GraphModelReader.ReadMachineAction, cancellationToken);

    /// <summary>Cancels a pending machine action.</summary>
    public Task<MachineAction> CancelMachineActionAsync(string actionId, string comment, CancellationToken cancellationToken) =>
        SendAsync(CancelMachineActionRequest(actionId, WriteValidation.Text(comment, "comment")), GraphModelReader.ReadMachineAction, cancellationToken);

    /// <summary>Lists machine actions, newest first, as typed records.</summary>
    public async Task<IReadOnlyList<MachineAction>> ListMachineActionsAsync(MachineActionFilter filter, int limit, CancellationToken cancellationToken) =>
        [.. (await ListMachineActionsAsync(filter.MachineId, filter.Status, filter.Type, limit, cancellationToken).ConfigureAwait(false)).Select(GraphModelReader.ReadMachineAction)];

    /// <summary>A PATCH of an incident from typed fields (only the non-null ones are sent).</summary>
    public DefenderRequest UpdateIncidentRequest(string incidentId, IncidentUpdate update)
    {
        var patch = Triage(update.Status, update.AssignedTo, update.Classification, update.Determination);
        if (update.CustomTags is { } tags)
        {
            patch["customTags"] = WriteValidation.Strings(tags.Select(t => WriteValidation.Text(t, "custom tag", 128)));
        }

        return UpdateIncidentRequest(incidentId, NotEmpty(patch));
    }

    /// <summary>Updates an incident; returns it as the service now has it.</summary>
    public Task<Incident> UpdateIncidentAsync(string incidentId, IncidentUpdate update, CancellationToken cancellationToken) =>
        SendAsync(UpdateIncidentRequest(incidentId, update), GraphModelReader.ReadIncident, cancellationToken);

    /// <summary>Adds a comment to an incident; returns the incident's whole comment list.</summary>
    public Task<IReadOnlyList<IncidentComment>> AddIncidentCommentAsync(string incidentId, string comment, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<IncidentComment>>(
            IncidentCommentRequest(incidentId, WriteValidation.Text(comment, "comment")),
            body => [.. GraphModelReader.Objects(body, "value").Select(GraphModelReader.ReadComment)],
            cancellationToken);

    /// <summary>A PATCH of an alert from typed fields (only the non-null ones are sent).</summary>
    public DefenderRequest UpdateAlertRequest(string alertId, AlertUpdate update) =>
        UpdateAlertRequest(alertId, NotEmpty(Triage(update.Status, update.AssignedTo, update.Classification, update.Determination)));

    /// <summary>Updates an alert; returns it as the service now has it.</summary>
    public Task<SecurityAlert> UpdateAlertAsync(string alertId, AlertUpdate update, CancellationToken cancellationToken) =>
        SendAsync(UpdateAlertRequest(alertId, update), GraphModelReader.ReadAlert, cancellationToken);

    /// <summary>Submits (or updates) one indicator from typed fields.</summary>
    public DefenderRequest AddIndicatorRequest(IndicatorRequest indicator) => AddIndicatorRequest(IndicatorBody(indicator));

    /// <summary>Submits (or updates) one indicator.</summary>
    public Task<Indicator> AddIndicatorAsync(IndicatorRequest indicator, CancellationToken cancellationToken) =>
        SendAsync(AddIndicatorRequest(indicator), GraphModelReader.ReadIndicator, cancellationToken);

    /// <summary>Imports 1 to 500 indicators from typed fields.</summary>
    public DefenderRequest ImportIndicatorsRequest(IReadOnlyList<IndicatorRequest> indicators) =>
        ImportIndicatorsRequest([.. WriteValidation.Batch(indicators, "indicators").Select(i => (JsonNode?)IndicatorBody(i))]);

    /// <summary>Imports 1 to 500 indicators; returns the per-item outcome.</summary>
    public Task<IReadOnlyList<IndicatorImportResult>> ImportIndicatorsAsync(IReadOnlyList<IndicatorRequest> indicators, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<IndicatorImportResult>>(
            ImportIndicatorsRequest(indicators),
            body => [.. GraphModelReader.Objects(body, "value").Select(GraphModelReader.ReadImportResult)],
            cancellationToken);

    /// <summary>Deletes one indicator.</summary>
    public Task DeleteIndicatorAsync(string indicatorId, CancellationToken cancellationToken) => SendAsync(DeleteIndicatorRequest(indicatorId), cancellationToken);

    /// <summary>Deletes 1 to 500 indicators in one call (all or nothing: 404 if any is missing).</summary>
    public Task BatchDeleteIndicatorsAsync(IReadOnlyList<string> indicatorIds, CancellationToken cancellationToken)
    {
        // Ids travel in the body, but they are still checked like path ids.
        var ids = WriteValidation.Batch(indicatorIds, "indicator ids");
        _ = ids.Select(Id).ToList();
        return SendAsync(BatchDeleteIndicatorsRequest(ids), cancellationToken);
    }

    /// <summary>Creates a custom detection rule (classic schema); returns the stored rule.</summary>
    public async Task<JsonElement> CreateDetectionRuleAsync(JsonObject rule, CancellationToken cancellationToken) =>
        await SendAsync(CreateDetectionRuleRequest(rule), e => e, cancellationToken).ConfigureAwait(false);

    /// <summary>Updates a custom detection rule (nested objects with only the changed leaves); returns the stored rule.</summary>
    public async Task<JsonElement> UpdateDetectionRuleAsync(string ruleId, JsonObject patch, CancellationToken cancellationToken) =>
        await SendAsync(UpdateDetectionRuleRequest(ruleId, patch), e => e, cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes a custom detection rule.</summary>
    public Task DeleteDetectionRuleAsync(string ruleId, CancellationToken cancellationToken) => SendAsync(DeleteDetectionRuleRequest(ruleId), cancellationToken);

    private DefenderRequest MachineActionCall(string machineId, string action, string comment, string role, params (string Name, string Value)[] extra)
    {
        // MDE body names are case-sensitive: Comment, IsolationType, ScanType, Sha1.
        var body = new JsonObject { ["Comment"] = WriteValidation.Text(comment, "comment") };
        foreach (var (name, value) in extra)
        {
            body[name] = value;
        }

        return MachineActionRequest(machineId, action, body, role);
    }

    private static JsonObject Triage(string? status, string? assignedTo, string? classification, string? determination)
    {
        var patch = new JsonObject();
        Put(patch, "status", WriteValidation.Token(status, "status"));
        Put(patch, "assignedTo", WriteValidation.OptionalText(assignedTo, "owner", 256));
        Put(patch, "classification", WriteValidation.Token(classification, "classification"));
        Put(patch, "determination", WriteValidation.Token(determination, "determination"));
        return patch;
    }

    private static JsonObject NotEmpty(JsonObject patch) =>
        patch.Count > 0 ? patch : throw new DefenderApiException(DefenderErrorCode.InvalidInput, "Nothing to update: give at least one field.");

    private static JsonObject IndicatorBody(IndicatorRequest i)
    {
        var body = new JsonObject
        {
            ["indicatorValue"] = WriteValidation.Text(i.IndicatorValue, "indicator value", 2048),
            ["indicatorType"] = WriteValidation.OneOf(i.IndicatorType, "indicator type", "FileSha1", "FileSha256", "FileMd5", "CertificateThumbprint", "IpAddress", "DomainName", "Url"),
            ["action"] = WriteValidation.OneOf(i.Action, "indicator action", "Alert", "Warn", "Block", "Audit", "BlockAndRemediate", "AlertAndBlock", "Allowed"),
            ["title"] = WriteValidation.Text(i.Title, "title", 256),
            ["description"] = WriteValidation.Text(i.Description, "description"),
        };
        Put(body, "application", WriteValidation.OptionalText(i.Application, "application", 256));
        Put(body, "expirationTime", i.ExpirationTime?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        Put(body, "severity", i.Severity is null ? null : WriteValidation.OneOf(i.Severity, "severity", "Informational", "Low", "Medium", "High"));
        Put(body, "recommendedActions", WriteValidation.OptionalText(i.RecommendedActions, "recommended actions"));
        if (i.RbacGroupNames is { } groups)
        {
            body["rbacGroupNames"] = WriteValidation.Strings(groups.Select(g => WriteValidation.Text(g, "device group", 256)));
        }

        Put(body, "educateUrl", WriteValidation.OptionalText(i.EducateUrl, "educate URL", 2048));
        if (i.GenerateAlert is { } alert)
        {
            body["generateAlert"] = alert;
        }

        if (body["action"]!.GetValue<string>() == "Audit" && i.GenerateAlert != true)
        {
            throw new DefenderApiException(DefenderErrorCode.InvalidInput, "An Audit indicator needs generateAlert: true.");
        }

        return body;
    }

    private static void Put(JsonObject body, string name, string? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }

    private async Task<T> SendAsync<T>(DefenderRequest request, Func<JsonElement, T> map, CancellationToken cancellationToken)
    {
        var body = await SendAsync(request, cancellationToken).ConfigureAwait(false)
            ?? throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The Defender service returned an empty response.");
        return map(body);
    }
}
