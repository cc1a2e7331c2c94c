using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Emulator.Data;
using DefenderMcp.Emulator.Hunting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DefenderMcp.Emulator.Api;

/// <summary>Graph security: runHuntingQuery, incidents and alerts_v2 (defender-api.md §2).</summary>
public static class GraphEndpoints
{
    private static readonly HashSet<string> IncidentFilters = ["assignedTo", "classification", "createdDateTime", "determination", "lastUpdateDateTime", "severity", "status"];
    private static readonly HashSet<string> AlertFilters = ["assignedTo", "classification", "determination", "createdDateTime", "lastUpdateDateTime", "severity", "serviceSource", "status"];

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapPost("/{version:regex(^(v1.0|beta)$)}/security/runHuntingQuery", (HttpContext c) => HuntAsync(c, state));
        app.MapGet("/{version:regex(^(v1.0|beta)$)}/security/incidents", (HttpContext c) => ListAsync(c, state, "incidents"));
        app.MapGet("/{version:regex(^(v1.0|beta)$)}/security/incidents/{id}", (HttpContext c, string id) => GetAsync(c, state, "incidents", id));
        app.MapGet("/{version:regex(^(v1.0|beta)$)}/security/alerts_v2", (HttpContext c) => ListAsync(c, state, "alerts"));
        app.MapGet("/{version:regex(^(v1.0|beta)$)}/security/alerts_v2/{id}", (HttpContext c, string id) => GetAsync(c, state, "alerts", id));
        app.MapPatch("/{version:regex(^(v1.0|beta)$)}/security/incidents/{id}", (HttpContext c, string id) => PatchAsync(c, state, "incidents", id));
        app.MapPatch("/{version:regex(^(v1.0|beta)$)}/security/alerts_v2/{id}", (HttpContext c, string id) => PatchAsync(c, state, "alerts", id));
        app.MapPost("/{version:regex(^(v1.0|beta)$)}/security/incidents/{id}/comments", (HttpContext c, string id) => CommentAsync(c, state, "incidents", id));
        app.MapPost("/{version:regex(^(v1.0|beta)$)}/security/alerts_v2/{id}/comments", (HttpContext c, string id) => CommentAsync(c, state, "alerts", id));
    }

    private static readonly Dictionary<string, string> DeterminationAliases = new(StringComparer.Ordinal)
    {
        ["notMalicious"] = "clean", ["notEnoughDataToValidate"] = "insufficientData", ["confirmedActivity"] = "confirmedUserActivity", ["compromisedAccount"] = "compromisedUser",
    };

    private static readonly HashSet<string> Classifications = ["unknown", "falsePositive", "truePositive", "informationalExpectedActivity", "unknownFutureValue"];
    private static readonly HashSet<string> Determinations = ["unknown", "apt", "malware", "securityPersonnel", "securityTesting", "unwantedSoftware", "other", "multiStagedAttack", "compromisedUser", "phishing", "maliciousUserActivity", "clean", "insufficientData", "confirmedUserActivity", "lineOfBusinessApplication", "unknownFutureValue"];

    private static string? Canonical(IEnumerable<string> allowed, string value) => allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));

    private static async Task PatchAsync(HttpContext context, EmulatorState state, string kind, string id)
    {
        var incidents = kind == "incidents";
        if (await ApiAuth.AuthorizeAsync(context, state, incidents ? "SecurityIncident.ReadWrite.All" : "SecurityAlert.ReadWrite.All").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        var body = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);

        // security-incident-update.md lists only these as settable; inProgress is a status an incident can have, not set.
        // Values are matched without case: the docs' own PATCH example sends "TruePositive" and "MultiStagedAttack".
        var statuses = incidents ? new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "active", "resolved", "redirected", "unknownFutureValue" } : new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "new", "inProgress", "resolved", "unknownFutureValue" };
        string? problem = body is null ? "The body must be a JSON object." : null;
        foreach (var (name, value) in body ?? [])
        {
            var text = JsonBody.Text(value);
            problem ??= name switch
            {
                "status" when text is null || !statuses.Contains(text) => "Invalid value for status.",
                "classification" when text is null || Canonical(Classifications, text) is null => "Invalid value for classification.",
                "determination" when text is null || Canonical([.. Determinations, .. DeterminationAliases.Keys], text) is null => "Invalid value for determination.",
                "assignedTo" when value is not null && text is null => "assignedTo must be a string.",
                "customTags" when !incidents || value is not JsonArray => "customTags must be an array of strings.",
                "status" or "classification" or "determination" or "assignedTo" or "customTags" => null,
                _ => $"Property '{(name.Length > 40 ? name[..40] : name)}' cannot be updated.",
            };
        }

        if (problem is not null)
        {
            await ApiErrors.WriteAsync(context, 400, "BadRequest", problem).ConfigureAwait(false);
            return;
        }

        JsonObject? updated;
        lock (data.Gate)
        {
            var item = (incidents ? data.Incidents : data.Alerts).FirstOrDefault(i => i["id"]?.GetValue<string>() == id);
            if (item is not null)
            {
                foreach (var (name, value) in body!)
                {
                    // Stored in the documented camelCase whatever casing was sent.
                    item[name] = name switch
                    {
                        "status" => Canonical(statuses, value!.GetValue<string>()),
                        "classification" => Canonical(Classifications, value!.GetValue<string>()),
                        "determination" => Canonical([.. Determinations, .. DeterminationAliases.Keys], value!.GetValue<string>()) is { } d && DeterminationAliases.TryGetValue(d, out var canonical) ? canonical : Canonical(Determinations, value!.GetValue<string>()),
                        _ => value?.DeepClone(),
                    };
                }

                item["lastUpdateDateTime"] = Iso(DateTime.UtcNow);
                if (!incidents && body!["status"]?.GetValue<string>() == "resolved")
                {
                    item["resolvedDateTime"] = Iso(DateTime.UtcNow);
                }
            }

            updated = (JsonObject?)item?.DeepClone();
        }

        if (updated is null)
        {
            await ApiErrors.WriteAsync(context, 404, "NotFound", $"The {(incidents ? "incident" : "alert")} was not found.").ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(updated).ConfigureAwait(false);
    }

    private static async Task CommentAsync(HttpContext context, EmulatorState state, string kind, string id)
    {
        var incidents = kind == "incidents";
        if (await ApiAuth.AuthorizeAsync(context, state, incidents ? "SecurityIncident.ReadWrite.All" : "SecurityAlert.ReadWrite.All").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        var comment = JsonBody.Text((await JsonBody.ReadObjectAsync(context).ConfigureAwait(false))?["comment"]);

        if (string.IsNullOrWhiteSpace(comment))
        {
            await ApiErrors.WriteAsync(context, 400, "BadRequest", "comment is required.").ConfigureAwait(false);
            return;
        }

        JsonArray? comments;
        lock (data.Gate)
        {
            var item = (incidents ? data.Incidents : data.Alerts).FirstOrDefault(i => i["id"]?.GetValue<string>() == id);
            if (item?["comments"] is JsonArray list)
            {
                list.Add(new JsonObject { ["comment"] = comment, ["createdByDisplayName"] = context.Items["appId"] as string ?? "app", ["createdDateTime"] = Iso(DateTime.UtcNow) });
            }

            comments = (JsonArray?)item?["comments"]?.DeepClone();
        }

        if (comments is null)
        {
            await ApiErrors.WriteAsync(context, 404, "NotFound", $"The {(incidents ? "incident" : "alert")} was not found.").ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(new JsonObject { ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.security.alertComment)", ["value"] = comments }).ConfigureAwait(false);
    }

    private static async Task HuntAsync(HttpContext context, EmulatorState state)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "ThreatHunting.Read.All").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        string? query = null, timespan = null;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("not an object");
            }

            // Graph binds action parameters case-insensitively (Query, query).
            foreach (var p in body.RootElement.EnumerateObject())
            {
                if (p.Name.Equals("query", StringComparison.OrdinalIgnoreCase))
                {
                    query = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                }
                else if (p.Name.Equals("timespan", StringComparison.OrdinalIgnoreCase))
                {
                    timespan = p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => string.Empty,
                    };
                }
            }
        }
        catch (JsonException)
        {
            await ApiErrors.WriteAsync(context, 400, "BadRequest", "The request body must be a JSON object with a Query.").ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrWhiteSpace(query))
        {
            await ApiErrors.WriteAsync(context, 400, "BadRequest", "The Query parameter is required.").ConfigureAwait(false);
            return;
        }

        if (HuntingWindow.Parse(timespan, DateTime.UtcNow) is not var (start, now))
        {
            await ApiErrors.WriteAsync(context, 400, "BadRequest", "Timespan must be an ISO-8601 duration (e.g. P1D, PT12H) or interval (start/end, start/duration, duration/end).").ConfigureAwait(false);
            return;
        }

        HuntingQueryResult result;
        try
        {
            result = HuntingEngine.Execute(query, data.Tables, start, now, now, hash => FileFacts.Profile(data, hash));
        }
        catch (HuntingQueryException ex)
        {
            await ApiErrors.WriteAsync(context, 400, "BadRequest", ex.Message).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        // Straight into the response pipe's pooled segments: no single growing buffer for a 100,000-row result.
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            HuntingResultWriter.Write(writer, result);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task ListAsync(HttpContext context, EmulatorState state, string kind)
    {
        var incidents = kind == "incidents";
        if (await ApiAuth.AuthorizeAsync(context, state, incidents ? ["SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All"] : ["SecurityAlert.Read.All", "SecurityAlert.ReadWrite.All"]).ConfigureAwait(false) is not { } data)
        {
            return;
        }

        var filter = ODataFilter.Parse(context.Request.Query["$filter"], incidents ? IncidentFilters : AlertFilters, out var error);
        if (filter is null)
        {
            await ApiErrors.WriteAsync(context, 400, "BadRequest", error!).ConfigureAwait(false);
            return;
        }

        List<JsonObject> items;
        lock (data.Gate)
        {
            var source = incidents ? data.Incidents : data.Alerts;
            items = [.. source.Where(filter).OrderByDescending(i => i["createdDateTime"]?.GetValue<string>(), StringComparer.Ordinal)
                .Select(i => incidents && Expand(context) ? WithAlerts(i, data) : (JsonObject)i.DeepClone())];
        }

        await Paging.WriteAsync(context, $"https://graph.microsoft.com/v1.0/$metadata#security/{(incidents ? "incidents" : "alerts_v2")}", items, 50, 1000, nextLinkWithTop: true).ConfigureAwait(false);
    }

    private static async Task GetAsync(HttpContext context, EmulatorState state, string kind, string id)
    {
        var incidents = kind == "incidents";
        if (await ApiAuth.AuthorizeAsync(context, state, incidents ? ["SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All"] : ["SecurityAlert.Read.All", "SecurityAlert.ReadWrite.All"]).ConfigureAwait(false) is not { } data)
        {
            return;
        }

        JsonObject? item;
        lock (data.Gate)
        {
            var found = (incidents ? data.Incidents : data.Alerts).FirstOrDefault(i => i["id"]?.GetValue<string>() == id);
            item = found is null ? null : incidents && Expand(context) ? WithAlerts(found, data) : (JsonObject)found.DeepClone();
        }

        if (item is null)
        {
            await ApiErrors.WriteAsync(context, 404, "NotFound", $"The {(incidents ? "incident" : "alert")} was not found.").ConfigureAwait(false);
            return;
        }

        item["@odata.context"] = $"https://graph.microsoft.com/v1.0/$metadata#security/{(incidents ? "incidents" : "alerts_v2")}/$entity";
        await context.Response.WriteAsJsonAsync(item).ConfigureAwait(false);
    }

    private static bool Expand(HttpContext context) => context.Request.Query["$expand"].ToString().Split(',').Contains("alerts");

    private static JsonObject WithAlerts(JsonObject incident, TenantData data)
    {
        var copy = (JsonObject)incident.DeepClone();
        var id = incident["id"]!.GetValue<string>();
        copy["alerts"] = new JsonArray([.. data.Alerts.Where(a => a["incidentId"]?.GetValue<string>() == id).Select(a => a.DeepClone())]);
        return copy;
    }

    internal static string Iso(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
