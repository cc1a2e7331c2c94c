using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client;

/// <summary>Alerts (Graph security alerts_v2): list, get, update.</summary>
public sealed partial class DefenderClient
{
    /// <summary>Lists alerts, newest first, up to <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<SecurityAlert>> ListAlertsAsync(AlertFilter filter, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var status = FilterValues.Wire(filter.Status, FilterValues.GraphAlertStatuses, "status");
        var severity = FilterValues.Wire(filter.Severity, FilterValues.GraphSeverities, "severity");
        return ListTriagedAsync("v1.0/security/alerts_v2", status, severity, null, AppRoles.AlertRead, limit, ModelReader.ReadAlert, cancellationToken);
    }

    /// <summary>Gets one alert with its evidence.</summary>
    public async Task<SecurityAlert> GetAlertAsync(string alertId, CancellationToken cancellationToken) =>
        ModelReader.ReadAlert(await GetObjectAsync(Graph($"v1.0/security/alerts_v2/{Id(alertId)}"), DefenderApi.Graph, AppRoles.AlertRead, RateFamily.Graph, cancellationToken).ConfigureAwait(false));

    /// <summary>A PATCH of an alert from typed fields (only the non-null ones are sent); reads the alert as it now is.</summary>
    public DefenderRequest<SecurityAlert> UpdateAlert(string alertId, AlertUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var patch = Triage(update.Status, TriageValues.AlertStatuses, update.AssignedTo, update.Classification, update.Determination);
        return Write(HttpMethod.Patch, Graph($"v1.0/security/alerts_v2/{Id(alertId)}"), DefenderApi.Graph, NotEmpty(patch), AppRoles.AlertWrite, RateFamily.Graph, Body(ModelReader.ReadAlert));
    }
}
