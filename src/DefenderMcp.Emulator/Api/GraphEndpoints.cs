using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
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
            foreach (var p in body.RootElement.EnumerateObject())
            {
                if (p.NameEquals("Query") || p.Name.Equals("query", StringComparison.OrdinalIgnoreCase))
                {
                    query = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                }
                else if (p.Name.Equals("timespan", StringComparison.OrdinalIgnoreCase))
                {
                    timespan = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
            await ApiErrors.WriteAsync(context, 400, "BadRequest", "The request body is not valid JSON.").ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrWhiteSpace(query))
        {
            await ApiErrors.WriteAsync(context, 400, "BadRequest", "The Query parameter is required.").ConfigureAwait(false);
            return;
        }

        var now = DateTime.UtcNow;
        DateTime start;
        try
        {
            start = now - (timespan is null ? TimeSpan.FromDays(30) : XmlConvert.ToTimeSpan(timespan));
        }
        catch (FormatException)
        {
            await ApiErrors.WriteAsync(context, 400, "BadRequest", "Timespan must be an ISO-8601 duration.").ConfigureAwait(false);
            return;
        }

        HuntingQueryResult result;
        try
        {
            result = HuntingEngine.Execute(query, data.Tables, start, now);
        }
        catch (HuntingQueryException ex)
        {
            await ApiErrors.WriteAsync(context, 400, "BadRequest", ex.Message).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        HuntingResultWriter.Write(writer, result);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
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
