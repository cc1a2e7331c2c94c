using System.Text.Json.Nodes;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client;

/// <summary>Incidents (Graph security): list, get, update, comment.</summary>
public sealed partial class DefenderClient
{
    /// <summary>Lists incidents, newest first, up to <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<Incident>> ListIncidentsAsync(IncidentFilter filter, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var created = filter.CreatedAfter is { } after ? $"createdDateTime gt {ODataFilter.DateTime(after)}" : null;
        var status = FilterValues.Wire(filter.Status, FilterValues.GraphIncidentStatuses, "status");
        var severity = FilterValues.Wire(filter.Severity, FilterValues.GraphSeverities, "severity");
        return ListTriagedAsync("v1.0/security/incidents", status, severity, created, AppRoles.IncidentRead, limit, ModelReader.ReadIncident, cancellationToken);
    }

    /// <summary>Gets one incident with its alerts.</summary>
    public async Task<Incident> GetIncidentAsync(string incidentId, CancellationToken cancellationToken) =>
        ModelReader.ReadIncident(await GetObjectAsync(Graph($"v1.0/security/incidents/{Id(incidentId)}", ("$expand", "alerts")), DefenderApi.Graph, AppRoles.IncidentRead, RateFamily.Graph, cancellationToken).ConfigureAwait(false));

    /// <summary>A PATCH of an incident from typed fields (only the non-null ones are sent); reads the incident as it now is.</summary>
    public DefenderRequest<Incident> UpdateIncident(string incidentId, IncidentUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var patch = Triage(update.Status, TriageValues.IncidentStatuses, update.AssignedTo, update.Classification, update.Determination);
        if (update.CustomTags is { } tags)
        {
            if (tags.Count > TriageValues.MaxTags)
            {
                throw WriteValidation.Invalid($"Give at most {TriageValues.MaxTags} custom tags.");
            }

            patch["customTags"] = WriteValidation.Strings(tags.Select(t => WriteValidation.Text(t, "custom tag", TriageValues.MaxTagLength)));
        }

        return Write(HttpMethod.Patch, Graph($"v1.0/security/incidents/{Id(incidentId)}"), DefenderApi.Graph, NotEmpty(patch), AppRoles.IncidentWrite, RateFamily.Graph, Body(ModelReader.ReadIncident));
    }

    /// <summary>A comment on an incident; reads the incident's whole comment list, which the service returns.</summary>
    public DefenderRequest<IReadOnlyList<IncidentComment>> CommentOnIncident(string incidentId, string comment)
    {
        var body = new JsonObject { ["@odata.type"] = "microsoft.graph.security.alertComment", ["comment"] = WriteValidation.Text(comment, "comment", TriageValues.MaxCommentLength) };
        return Write<IReadOnlyList<IncidentComment>>(
            HttpMethod.Post,
            Graph($"v1.0/security/incidents/{Id(incidentId)}/comments"),
            DefenderApi.Graph,
            body,
            AppRoles.IncidentWrite,
            RateFamily.Graph,
            Body<IReadOnlyList<IncidentComment>>(e => [.. ModelReader.Objects(e, "value").Select(ModelReader.ReadComment)]));
    }

    // The fields incidents and alerts share, in the order the service documents them.
    private static JsonObject Triage(string? status, IReadOnlyList<string> statuses, string? assignedTo, string? classification, string? determination)
    {
        var patch = new JsonObject();
        Put(patch, "status", WriteValidation.OptionalOneOf(status, "status", statuses));
        Put(patch, "assignedTo", assignedTo is null ? null : WriteValidation.Text(assignedTo, "owner", TriageValues.MaxAssigneeLength));
        Put(patch, "classification", WriteValidation.OptionalOneOf(classification, "classification", TriageValues.Classifications));
        Put(patch, "determination", WriteValidation.OptionalOneOf(determination, "determination", [.. TriageValues.Determinations, .. TriageValues.DeterminationAliases]));
        return patch;
    }

    private static JsonObject NotEmpty(JsonObject patch) =>
        patch.Count > 0 ? patch : throw WriteValidation.Invalid("Nothing to update: give at least one field.");

    private static void Put(JsonObject body, string name, string? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }
}
