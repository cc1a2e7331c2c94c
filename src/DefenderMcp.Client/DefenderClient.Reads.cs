using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client;

/// <summary>Reads: all marked <see cref="OperationKind.Read"/>, so they are retried after a 5xx or a timeout.</summary>
public sealed partial class DefenderClient
{
    /// <summary>Runs an advanced hunting query (Graph runHuntingQuery); the response is parsed as a stream.</summary>
    public async Task<HuntingResult> RunHuntingQueryAsync(string query, string? timespan, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new DefenderApiException(DefenderErrorCode.InvalidInput, "The hunting query is empty.");
        }

        // Timespan is optional (the service then uses 30 days): left out rather than sent as null.
        var body = new JsonObject { ["Query"] = query };
        if (timespan is not null)
        {
            body["Timespan"] = timespan;
        }

        var request = new DefenderRequest(HttpMethod.Post, Graph("v1.0/security/runHuntingQuery"), DefenderApi.Graph, OperationKind.Read, body.ToJsonString(), "ThreatHunting.Read.All");
        using var response = await _pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await HuntingResponseReader.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw BodyFailed(ex);
        }
    }

    /// <summary>Lists incidents, newest first, up to <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<Incident>> ListIncidentsAsync(IncidentFilter filter, int limit, CancellationToken cancellationToken)
    {
        var clauses = ODataFilter.And([
            filter.Status is null ? null : ODataFilter.EqToken("status", filter.Status),
            filter.Severity is null ? null : ODataFilter.EqToken("severity", filter.Severity),
            filter.CreatedAfter is { } after ? $"createdDateTime gt {ODataFilter.DateTime(after)}" : null,
        ]);
        return ListAsync(Graph("v1.0/security/incidents", ("$top", Math.Min(limit, Options.PageSize).ToString(CultureInfo.InvariantCulture)), ("$filter", clauses)), DefenderApi.Graph, "SecurityIncident.Read.All", limit, GraphModelReader.ReadIncident, cancellationToken);
    }

    /// <summary>Gets one incident with its alerts.</summary>
    public async Task<Incident> GetIncidentAsync(string incidentId, CancellationToken cancellationToken) =>
        GraphModelReader.ReadIncident(await GetObjectAsync(Graph($"v1.0/security/incidents/{Id(incidentId)}", ("$expand", "alerts")), DefenderApi.Graph, "SecurityIncident.Read.All", cancellationToken).ConfigureAwait(false));

    /// <summary>Lists alerts, newest first, up to <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<SecurityAlert>> ListAlertsAsync(AlertFilter filter, int limit, CancellationToken cancellationToken)
    {
        var clauses = ODataFilter.And([
            filter.Status is null ? null : ODataFilter.EqToken("status", filter.Status),
            filter.Severity is null ? null : ODataFilter.EqToken("severity", filter.Severity),
        ]);
        return ListAsync(Graph("v1.0/security/alerts_v2", ("$top", Math.Min(limit, Options.PageSize).ToString(CultureInfo.InvariantCulture)), ("$filter", clauses)), DefenderApi.Graph, "SecurityAlert.Read.All", limit, GraphModelReader.ReadAlert, cancellationToken);
    }

    /// <summary>Gets one alert with its evidence.</summary>
    public async Task<SecurityAlert> GetAlertAsync(string alertId, CancellationToken cancellationToken) =>
        GraphModelReader.ReadAlert(await GetObjectAsync(Graph($"v1.0/security/alerts_v2/{Id(alertId)}"), DefenderApi.Graph, "SecurityAlert.Read.All", cancellationToken).ConfigureAwait(false));

    /// <summary>Lists machines matching structured filters, up to <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<Machine>> ListMachinesAsync(MachineFilter filter, int limit, CancellationToken cancellationToken)
    {
        var clauses = ODataFilter.And([
            filter.NamePrefix is null ? null : $"startswith(computerDnsName,{ODataFilter.Quote(ODataFilter.Text(filter.NamePrefix))})",
            filter.HealthStatus is null ? null : ODataFilter.EqToken("healthStatus", filter.HealthStatus),
            filter.RiskScore is null ? null : ODataFilter.EqToken("riskScore", filter.RiskScore),
            filter.ExposureLevel is null ? null : ODataFilter.EqToken("exposureLevel", filter.ExposureLevel),
            filter.OsPlatform is null ? null : ODataFilter.EqToken("osPlatform", filter.OsPlatform),
            filter.Tag is null ? null : $"machineTags/any(tag: tag eq {ODataFilter.Quote(ODataFilter.Text(filter.Tag))})",
            filter.LastSeenAfter is { } seen ? $"lastSeen gt {ODataFilter.DateTime(seen)}" : null,
        ]);
        return ListMdeAsync("api/machines", clauses, "Machine.Read.All", limit, GraphModelReader.ReadMachine, cancellationToken);
    }

    /// <summary>Gets a machine by its id or computer DNS name.</summary>
    public async Task<Machine> GetMachineAsync(string machineIdOrName, CancellationToken cancellationToken) =>
        GraphModelReader.ReadMachine(await GetObjectAsync(Mde($"api/machines/{Id(machineIdOrName)}"), DefenderApi.Mde, "Machine.Read.All", cancellationToken).ConfigureAwait(false));

    /// <summary>Lists custom detection rules.</summary>
    public Task<IReadOnlyList<JsonElement>> ListDetectionRulesAsync(int limit, CancellationToken cancellationToken) =>
        ListAsync(Graph("beta/security/rules/detectionRules", ("$top", Math.Min(limit, Options.PageSize).ToString(CultureInfo.InvariantCulture))), DefenderApi.Graph, "CustomDetection.Read.All", limit, e => e.Clone(), cancellationToken);

    /// <summary>Gets one custom detection rule.</summary>
    public Task<JsonElement> GetDetectionRuleAsync(string ruleId, CancellationToken cancellationToken) =>
        GetObjectAsync(Graph($"beta/security/rules/detectionRules/{Id(ruleId)}"), DefenderApi.Graph, "CustomDetection.Read.All", cancellationToken);

    /// <summary>Lists machine actions, newest first, filtered by machine, status and type.</summary>
    public Task<IReadOnlyList<JsonElement>> ListMachineActionsAsync(string? machineId, string? status, string? type, int limit, CancellationToken cancellationToken)
    {
        var clauses = ODataFilter.And([
            machineId is null ? null : ODataFilter.EqToken("machineId", machineId),
            status is null ? null : ODataFilter.EqToken("status", status),
            type is null ? null : ODataFilter.EqToken("type", type),
        ]);
        return ListMdeAsync("api/machineactions", clauses, "Machine.Read.All", limit, e => e.Clone(), cancellationToken);
    }

    /// <summary>Gets one machine action.</summary>
    public Task<JsonElement> GetMachineActionAsync(string actionId, CancellationToken cancellationToken) =>
        GetObjectAsync(Mde($"api/machineactions/{Id(actionId)}"), DefenderApi.Mde, "Machine.Read.All", cancellationToken);

    /// <summary>The short-lived download link of a completed investigation package.</summary>
    public async Task<string> GetInvestigationPackageUriAsync(string actionId, CancellationToken cancellationToken)
    {
        var body = await GetObjectAsync(Mde($"api/machineactions/{Id(actionId)}/GetPackageUri"), DefenderApi.Mde, "Machine.Read.All", cancellationToken).ConfigureAwait(false);
        return GraphModelReader.Str(body, "value") ?? throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The package link was missing.");
    }

    /// <summary>Lists custom indicators.</summary>
    public Task<IReadOnlyList<JsonElement>> ListIndicatorsAsync(int limit, CancellationToken cancellationToken) =>
        ListMdeAsync("api/indicators", null, "Ti.ReadWrite.All", limit, e => e.Clone(), cancellationToken);
}
