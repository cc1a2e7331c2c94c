using System.Text;
using System.Text.Json;
using DefenderMcp.Client.Auth;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DefenderMcp.Client;

/// <summary>
/// Typed client of one tenant's Graph security and Defender for Endpoint APIs. Every method takes a
/// <see cref="CancellationToken"/> and throws only <see cref="DefenderApiException"/> for service problems.
/// </summary>
public sealed partial class DefenderClient : IDisposable
{
    private const int MaxPageBody = 32 * 1024 * 1024;
    private readonly HttpClient _http;
    private readonly DefenderPipeline _pipeline;
    private readonly TokenCache _tokens;

    private DefenderClient(DefenderTenantOptions options, HttpMessageHandler handler, Azure.Core.TokenCredential? credential, TimeProvider time, ILoggerFactory? loggerFactory)
    {
        Options = options;
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            _tokens = new TokenCache(credential ?? CredentialFactory.Create(options, handler), time);
        }
        catch
        {
            _http.Dispose();
            throw;
        }

        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<DefenderClient>();
        _pipeline = new DefenderPipeline(_http, _tokens, options.Endpoints, options.Retry, time, logger, options.RateLimits);
    }

    /// <summary>The tenant's options.</summary>
    public DefenderTenantOptions Options { get; }

    /// <summary>Creates a client with its own connection pool and credential.</summary>
    public static DefenderClient Create(DefenderTenantOptions options, ILoggerFactory? loggerFactory = null) =>
        new(options, TlsTrust.CreateHandler(options.TrustedCertificatePemPath), null, TimeProvider.System, loggerFactory);

    /// <summary>A client over a given handler, credential and clock (unit tests: fake transport, no real waits).</summary>
    internal static DefenderClient CreateForTests(DefenderTenantOptions options, HttpMessageHandler handler, Azure.Core.TokenCredential credential, TimeProvider time) =>
        new(options, handler, credential, time, null);

    /// <summary>Runs an advanced hunting query (Graph runHuntingQuery); the response is parsed as a stream.</summary>
    public async Task<HuntingResult> RunHuntingQueryAsync(string query, string? timespan, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new DefenderApiException(DefenderErrorCode.InvalidInput, "The hunting query is empty.");
        }

        // Timespan is optional (the service then uses 30 days): left out rather than sent as null.
        var body = new System.Text.Json.Nodes.JsonObject { ["Query"] = query };
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
        return ListAsync(Graph("v1.0/security/incidents", ("$top", Math.Min(limit, Options.PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("$filter", clauses)), DefenderApi.Graph, "SecurityIncident.Read.All", limit, GraphModelReader.ReadIncident, cancellationToken);
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
        return ListAsync(Graph("v1.0/security/alerts_v2", ("$top", Math.Min(limit, Options.PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("$filter", clauses)), DefenderApi.Graph, "SecurityAlert.Read.All", limit, GraphModelReader.ReadAlert, cancellationToken);
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

    /// <summary>The app roles in the current token for <paramref name="api"/> (decoded, not verified: for status reports only).</summary>
    public async Task<IReadOnlyList<string>> GetGrantedRolesAsync(DefenderApi api, CancellationToken cancellationToken)
    {
        var token = await _tokens.GetAsync(api == DefenderApi.Graph ? Options.Endpoints.GraphScope : Options.Endpoints.MdeScope, false, cancellationToken).ConfigureAwait(false);
        var parts = token.Split('.');
        if (parts.Length < 2)
        {
            return [];
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var doc = JsonDocument.Parse(Convert.FromBase64String(payload));
            return doc.RootElement.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
                ? [.. roles.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)]
                : [];
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return [];
        }
    }

    /// <summary>A machine action request (<c>POST /api/machines/{id}/{action}</c>), built but not sent: it can be previewed.</summary>
    public DefenderRequest MachineActionRequest(string machineId, string action, System.Text.Json.Nodes.JsonObject body, string role) =>
        new(HttpMethod.Post, Mde($"api/machines/{Id(machineId)}/{Id(action)}"), DefenderApi.Mde, OperationKind.Write, body.ToJsonString(), role);

    /// <summary>A cancel request for a machine action.</summary>
    public DefenderRequest CancelMachineActionRequest(string actionId, string comment) =>
        new(HttpMethod.Post, Mde($"api/machineactions/{Id(actionId)}/cancel"), DefenderApi.Mde, OperationKind.Write, new System.Text.Json.Nodes.JsonObject { ["Comment"] = comment }.ToJsonString(), "Machine.Isolate");

    /// <summary>A PATCH of an incident (<c>status</c>, <c>assignedTo</c>, <c>classification</c>, <c>determination</c>, <c>customTags</c>).</summary>
    public DefenderRequest UpdateIncidentRequest(string incidentId, System.Text.Json.Nodes.JsonObject patch) =>
        new(HttpMethod.Patch, Graph($"v1.0/security/incidents/{Id(incidentId)}"), DefenderApi.Graph, OperationKind.Write, patch.ToJsonString(), "SecurityIncident.ReadWrite.All");

    /// <summary>A PATCH of an alert.</summary>
    public DefenderRequest UpdateAlertRequest(string alertId, System.Text.Json.Nodes.JsonObject patch) =>
        new(HttpMethod.Patch, Graph($"v1.0/security/alerts_v2/{Id(alertId)}"), DefenderApi.Graph, OperationKind.Write, patch.ToJsonString(), "SecurityAlert.ReadWrite.All");

    /// <summary>A comment on an incident.</summary>
    public DefenderRequest IncidentCommentRequest(string incidentId, string comment) =>
        new(HttpMethod.Post, Graph($"v1.0/security/incidents/{Id(incidentId)}/comments"), DefenderApi.Graph, OperationKind.Write,
            new System.Text.Json.Nodes.JsonObject { ["@odata.type"] = "microsoft.graph.security.alertComment", ["comment"] = comment }.ToJsonString(), "SecurityIncident.ReadWrite.All");

    /// <summary>Submits or updates one indicator.</summary>
    public DefenderRequest AddIndicatorRequest(System.Text.Json.Nodes.JsonObject indicator) =>
        new(HttpMethod.Post, Mde("api/indicators"), DefenderApi.Mde, OperationKind.Write, indicator.ToJsonString(), "Ti.ReadWrite.All");

    /// <summary>Imports up to 500 indicators.</summary>
    public DefenderRequest ImportIndicatorsRequest(System.Text.Json.Nodes.JsonArray indicators) =>
        new(HttpMethod.Post, Mde("api/indicators/import"), DefenderApi.Mde, OperationKind.Write, new System.Text.Json.Nodes.JsonObject { ["Indicators"] = indicators }.ToJsonString(), "Ti.ReadWrite.All");

    /// <summary>Deletes one indicator.</summary>
    public DefenderRequest DeleteIndicatorRequest(string indicatorId) =>
        new(HttpMethod.Delete, Mde($"api/indicators/{Id(indicatorId)}"), DefenderApi.Mde, OperationKind.Write, null, "Ti.ReadWrite.All");

    /// <summary>Deletes up to 500 indicators at once.</summary>
    public DefenderRequest BatchDeleteIndicatorsRequest(IReadOnlyList<string> ids) =>
        new(HttpMethod.Post, Mde("api/indicators/BatchDelete"), DefenderApi.Mde, OperationKind.Write,
            new System.Text.Json.Nodes.JsonObject { ["IndicatorIds"] = new System.Text.Json.Nodes.JsonArray([.. ids.Select(i => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(i))]) }.ToJsonString(), "Ti.ReadWrite.All");

    /// <summary>Creates a custom detection rule (Graph beta, classic schema).</summary>
    public DefenderRequest CreateDetectionRuleRequest(System.Text.Json.Nodes.JsonObject rule) =>
        new(HttpMethod.Post, Graph("beta/security/rules/detectionRules"), DefenderApi.Graph, OperationKind.Write, rule.ToJsonString(), "CustomDetection.ReadWrite.All");

    /// <summary>Updates a custom detection rule (only the changed leaves).</summary>
    public DefenderRequest UpdateDetectionRuleRequest(string ruleId, System.Text.Json.Nodes.JsonObject patch) =>
        new(HttpMethod.Patch, Graph($"beta/security/rules/detectionRules/{Id(ruleId)}"), DefenderApi.Graph, OperationKind.Write, patch.ToJsonString(), "CustomDetection.ReadWrite.All");

    /// <summary>Deletes a custom detection rule.</summary>
    public DefenderRequest DeleteDetectionRuleRequest(string ruleId) =>
        new(HttpMethod.Delete, Graph($"beta/security/rules/detectionRules/{Id(ruleId)}"), DefenderApi.Graph, OperationKind.Write, null, "CustomDetection.ReadWrite.All");

    /// <summary>Lists custom detection rules.</summary>
    public Task<IReadOnlyList<JsonElement>> ListDetectionRulesAsync(int limit, CancellationToken cancellationToken) =>
        ListAsync(Graph("beta/security/rules/detectionRules", ("$top", Math.Min(limit, Options.PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture))), DefenderApi.Graph, "CustomDetection.Read.All", limit, e => e.Clone(), cancellationToken);

    /// <summary>Gets one custom detection rule.</summary>
    public Task<JsonElement> GetDetectionRuleAsync(string ruleId, CancellationToken cancellationToken) =>
        GetObjectAsync(Graph($"beta/security/rules/detectionRules/{Id(ruleId)}"), DefenderApi.Graph, "CustomDetection.Read.All", cancellationToken);

    /// <summary>Sends a built request; returns the response body (null when empty, e.g. 204).</summary>
    public async Task<JsonElement?> SendAsync(DefenderRequest request, CancellationToken cancellationToken)
    {
        using var response = await _pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength > MaxPageBody)
        {
            throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The Defender response is too large.");
        }

        byte[] bytes;
        try
        {
            bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw BodyFailed(ex);
        }

        if (bytes.Length == 0)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The Defender service returned malformed JSON.", inner: ex);
        }
    }

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

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>Sends a raw request through the pipeline (for tests of the retry rules).</summary>
    internal async Task<int> SendForStatusAsync(DefenderRequest request, CancellationToken cancellationToken)
    {
        using var response = await _pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return (int)response.StatusCode;
    }

    /// <summary>The Graph URL for <paramref name="path"/> (for tests).</summary>
    internal Uri GraphUrl(string path) => Graph(path);

    /// <summary>Escapes a path id, refusing anything that could change the URL's shape.</summary>
    internal static string Id(string id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 256 || id.Contains("..", StringComparison.Ordinal) ||
            id.IndexOfAny(['/', '\\', '?', '#', '%', '&']) >= 0 || id.Any(char.IsControl))
        {
            throw new DefenderApiException(DefenderErrorCode.InvalidInput, "The id is not valid.");
        }

        return Uri.EscapeDataString(id);
    }

    private Uri Graph(string path, params (string Name, string? Value)[] query) => Build(Options.Endpoints.GraphRoot, path, query);

    private Uri Mde(string path, params (string Name, string? Value)[] query) => Build(Options.Endpoints.MdeRoot, path, query);

    private static Uri Build(Uri root, string path, (string Name, string? Value)[] query)
    {
        var builder = new StringBuilder(new Uri(root, path).AbsoluteUri);
        var first = true;
        foreach (var (name, value) in query)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(first ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }

        return new Uri(builder.ToString());
    }

    private async Task<JsonElement> GetObjectAsync(Uri url, DefenderApi api, string role, CancellationToken cancellationToken)
    {
        using var doc = await GetDocumentAsync(new DefenderRequest(HttpMethod.Get, url, api, OperationKind.Read, null, role), cancellationToken).ConfigureAwait(false);
        return doc.RootElement.Clone();
    }

    private async Task<JsonDocument> GetDocumentAsync(DefenderRequest request, CancellationToken cancellationToken)
    {
        using var response = await _pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength > MaxPageBody)
        {
            throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The Defender response is too large.");
        }

        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The Defender service returned malformed JSON.", inner: ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw BodyFailed(ex);
        }
    }

    // The connection broke while the body was read: the caller may retry a read; a write's outcome is unknown.
    private static DefenderApiException BodyFailed(Exception inner) =>
        new(DefenderErrorCode.UpstreamError, "The connection to Defender failed while the response was read.", inner: inner);

    private async Task<IReadOnlyList<T>> ListAsync<T>(Uri first, DefenderApi api, string role, int limit, Func<JsonElement, T> map, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var root = api == DefenderApi.Graph ? Options.Endpoints.GraphRoot : Options.Endpoints.MdeRoot;
        Uri? next = first;
        while (next is not null && items.Count < limit)
        {
            using var doc = await GetDocumentAsync(new DefenderRequest(HttpMethod.Get, next, api, OperationKind.Read, null, role), cancellationToken).ConfigureAwait(false);
            foreach (var item in ReadValue(doc).EnumerateArray())
            {
                if (items.Count >= limit)
                {
                    break;
                }

                items.Add(map(item));
            }

            next = GraphModelReader.Str(doc.RootElement, "@odata.nextLink") is { } link ? SameOrigin(link, root) : null;
        }

        return items;
    }

    /// <summary>
    /// An MDE list: pages of <c>$top</c>/<c>$skip</c> (at most <see cref="DefenderTenantOptions.MdePageSize"/>), ending on a
    /// short page, and <c>@odata.nextLink</c> followed when the service sends one.
    /// </summary>
    private async Task<IReadOnlyList<T>> ListMdeAsync<T>(string path, string? filter, string role, int limit, Func<JsonElement, T> map, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var root = Options.Endpoints.MdeRoot;
        var received = 0;
        int? asked = Math.Min(limit, Options.MdePageSize);
        Uri? next = Mde(path, ("$top", Invariant(asked.Value)), ("$filter", filter));
        while (next is not null && items.Count < limit)
        {
            using var doc = await GetDocumentAsync(new DefenderRequest(HttpMethod.Get, next, DefenderApi.Mde, OperationKind.Read, null, role), cancellationToken).ConfigureAwait(false);
            var page = ReadValue(doc);
            received += page.GetArrayLength();
            foreach (var item in page.EnumerateArray())
            {
                if (items.Count >= limit)
                {
                    break;
                }

                items.Add(map(item));
            }

            if (GraphModelReader.Str(doc.RootElement, "@odata.nextLink") is { } link)
            {
                next = SameOrigin(link, root);
                asked = null;
            }
            else if (asked is { } top && page.GetArrayLength() >= top && items.Count < limit)
            {
                asked = Math.Min(limit - items.Count, Options.MdePageSize);
                next = Mde(path, ("$top", Invariant(asked.Value)), ("$skip", Invariant(received)), ("$filter", filter));
            }
            else
            {
                next = null;
            }
        }

        return items;
    }

    private static JsonElement ReadValue(JsonDocument doc) =>
        doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array
            ? value
            : throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The Defender service returned a list without 'value'.");

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Uri SameOrigin(string link, Uri root)
    {
        // Paging links are followed only to the host we were configured for.
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme != root.Scheme ||
            !string.Equals(uri.Host, root.Host, StringComparison.OrdinalIgnoreCase) || uri.Port != root.Port)
        {
            throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The Defender service returned a paging link to another host; paging stopped.");
        }

        return uri;
    }
}
