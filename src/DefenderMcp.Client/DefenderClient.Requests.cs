using System.Text.Json.Nodes;
using DefenderMcp.Client.Http;

namespace DefenderMcp.Client;

/// <summary>
/// Write requests built from JSON the caller prepared (the typed overloads in the writes part check their input and
/// call these). Built, not sent: they can be previewed or passed to <see cref="SendAsync(DefenderRequest, CancellationToken)"/>.
/// </summary>
public sealed partial class DefenderClient
{
    /// <summary>A machine action request (<c>POST /api/machines/{id}/{action}</c>), built but not sent: it can be previewed.</summary>
    public DefenderRequest MachineActionRequest(string machineId, string action, JsonObject body, string role) =>
        new(HttpMethod.Post, Mde($"api/machines/{Id(machineId)}/{Id(action)}"), DefenderApi.Mde, OperationKind.Write, body.ToJsonString(), role);

    /// <summary>A cancel request for a machine action.</summary>
    public DefenderRequest CancelMachineActionRequest(string actionId, string comment) =>
        new(HttpMethod.Post, Mde($"api/machineactions/{Id(actionId)}/cancel"), DefenderApi.Mde, OperationKind.Write, new JsonObject { ["Comment"] = comment }.ToJsonString(), "Machine.Isolate");

    /// <summary>A PATCH of an incident (<c>status</c>, <c>assignedTo</c>, <c>classification</c>, <c>determination</c>, <c>customTags</c>).</summary>
    public DefenderRequest UpdateIncidentRequest(string incidentId, JsonObject patch) =>
        new(HttpMethod.Patch, Graph($"v1.0/security/incidents/{Id(incidentId)}"), DefenderApi.Graph, OperationKind.Write, patch.ToJsonString(), "SecurityIncident.ReadWrite.All");

    /// <summary>A PATCH of an alert.</summary>
    public DefenderRequest UpdateAlertRequest(string alertId, JsonObject patch) =>
        new(HttpMethod.Patch, Graph($"v1.0/security/alerts_v2/{Id(alertId)}"), DefenderApi.Graph, OperationKind.Write, patch.ToJsonString(), "SecurityAlert.ReadWrite.All");

    /// <summary>A comment on an incident.</summary>
    public DefenderRequest IncidentCommentRequest(string incidentId, string comment) =>
        new(HttpMethod.Post, Graph($"v1.0/security/incidents/{Id(incidentId)}/comments"), DefenderApi.Graph, OperationKind.Write,
            new JsonObject { ["@odata.type"] = "microsoft.graph.security.alertComment", ["comment"] = comment }.ToJsonString(), "SecurityIncident.ReadWrite.All");

    /// <summary>Submits or updates one indicator.</summary>
    public DefenderRequest AddIndicatorRequest(JsonObject indicator) =>
        new(HttpMethod.Post, Mde("api/indicators"), DefenderApi.Mde, OperationKind.Write, indicator.ToJsonString(), "Ti.ReadWrite.All");

    /// <summary>Imports up to 500 indicators.</summary>
    public DefenderRequest ImportIndicatorsRequest(JsonArray indicators) =>
        new(HttpMethod.Post, Mde("api/indicators/import"), DefenderApi.Mde, OperationKind.Write, new JsonObject { ["Indicators"] = indicators }.ToJsonString(), "Ti.ReadWrite.All");

    /// <summary>Deletes one indicator.</summary>
    public DefenderRequest DeleteIndicatorRequest(string indicatorId) =>
        new(HttpMethod.Delete, Mde($"api/indicators/{Id(indicatorId)}"), DefenderApi.Mde, OperationKind.Write, null, "Ti.ReadWrite.All");

    /// <summary>Deletes up to 500 indicators at once.</summary>
    public DefenderRequest BatchDeleteIndicatorsRequest(IReadOnlyList<string> ids) =>
        new(HttpMethod.Post, Mde("api/indicators/BatchDelete"), DefenderApi.Mde, OperationKind.Write,
            new JsonObject { ["IndicatorIds"] = new JsonArray([.. ids.Select(i => (JsonNode)JsonValue.Create(i))]) }.ToJsonString(), "Ti.ReadWrite.All");

    /// <summary>Creates a custom detection rule (Graph beta, classic schema).</summary>
    public DefenderRequest CreateDetectionRuleRequest(JsonObject rule) =>
        new(HttpMethod.Post, Graph("beta/security/rules/detectionRules"), DefenderApi.Graph, OperationKind.Write, rule.ToJsonString(), "CustomDetection.ReadWrite.All");

    /// <summary>Updates a custom detection rule (only the changed leaves).</summary>
    public DefenderRequest UpdateDetectionRuleRequest(string ruleId, JsonObject patch) =>
        new(HttpMethod.Patch, Graph($"beta/security/rules/detectionRules/{Id(ruleId)}"), DefenderApi.Graph, OperationKind.Write, patch.ToJsonString(), "CustomDetection.ReadWrite.All");

    /// <summary>Deletes a custom detection rule.</summary>
    public DefenderRequest DeleteDetectionRuleRequest(string ruleId) =>
        new(HttpMethod.Delete, Graph($"beta/security/rules/detectionRules/{Id(ruleId)}"), DefenderApi.Graph, OperationKind.Write, null, "CustomDetection.ReadWrite.All");
}
