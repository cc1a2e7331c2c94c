using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DefenderMcp.Emulator.Api;

/// <summary>Graph beta custom detection rules, classic schema (defender-api.md §2.4).</summary>
public static class DetectionRuleEndpoints
{
    private const string Root = "/beta/security/rules/detectionRules";
    private static readonly string[] Periods = ["0", "1H", "3H", "12H", "24H"];

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapGet(Root, async (HttpContext c) =>
        {
            if (await ApiAuth.AuthorizeAsync(c, state, "CustomDetection.Read.All", "CustomDetection.ReadWrite.All").ConfigureAwait(false) is not { } data)
            {
                return;
            }

            List<JsonObject> items;
            lock (data.Gate)
            {
                items = [.. data.DetectionRules.Select(r => (JsonObject)r.DeepClone())];
            }

            await Paging.WriteAsync(c, "https://graph.microsoft.com/beta/$metadata#security/rules/detectionRules", items, 50, 1000, nextLinkWithTop: true).ConfigureAwait(false);
        });
        app.MapGet(Root + "/{id}", async (HttpContext c, string id) =>
        {
            if (await ApiAuth.AuthorizeAsync(c, state, "CustomDetection.Read.All", "CustomDetection.ReadWrite.All").ConfigureAwait(false) is not { } data)
            {
                return;
            }

            JsonObject? rule;
            lock (data.Gate)
            {
                rule = (JsonObject?)data.DetectionRules.FirstOrDefault(r => r["id"]!.GetValue<string>() == id)?.DeepClone();
            }

            await (rule is null ? ApiErrors.WriteAsync(c, 404, "NotFound", "The detection rule was not found.") : c.Response.WriteAsJsonAsync(rule)).ConfigureAwait(false);
        });
        app.MapPost(Root, async (HttpContext c) =>
        {
            if (await ApiAuth.AuthorizeAsync(c, state, "CustomDetection.ReadWrite.All").ConfigureAwait(false) is not { } data)
            {
                return;
            }

            var body = await JsonBody.ReadObjectAsync(c).ConfigureAwait(false);
            var problem = body is null ? "The body must be a JSON object." : Validate(body, creating: true);
            if (problem is not null)
            {
                await ApiErrors.WriteAsync(c, 400, "BadRequest", problem).ConfigureAwait(false);
                return;
            }

            JsonObject rule;
            lock (data.Gate)
            {
                var now = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture);
                rule = (JsonObject)body!.DeepClone();
                rule["id"] = (35000 + data.DetectionRules.Count + 1).ToString(CultureInfo.InvariantCulture);
                rule["detectorId"] = Guid.NewGuid().ToString();
                rule["createdBy"] = c.Items["appId"] as string;
                rule["createdDateTime"] = now;
                rule["lastModifiedBy"] = c.Items["appId"] as string;
                rule["lastModifiedDateTime"] = now;
                rule["lastRunDetails"] = new JsonObject { ["lastRunDateTime"] = null, ["status"] = null, ["failureReason"] = null, ["errorCode"] = null };
                data.DetectionRules.Add(rule);
                rule = (JsonObject)rule.DeepClone();
            }

            c.Response.StatusCode = 201;
            c.Response.Headers.Location = $"https://graph.microsoft.com{Root}/{rule["id"]}";
            await c.Response.WriteAsJsonAsync(rule).ConfigureAwait(false);
        });
        app.MapMethods(Root + "/{id}", ["PATCH"], async (HttpContext c, string id) =>
        {
            if (await ApiAuth.AuthorizeAsync(c, state, "CustomDetection.ReadWrite.All").ConfigureAwait(false) is not { } data)
            {
                return;
            }

            var body = await JsonBody.ReadObjectAsync(c).ConfigureAwait(false);
            var problem = body is null ? "The body must be a JSON object." : Validate(body, creating: false);
            if (problem is not null)
            {
                await ApiErrors.WriteAsync(c, 400, "BadRequest", problem).ConfigureAwait(false);
                return;
            }

            JsonObject? rule;
            lock (data.Gate)
            {
                rule = data.DetectionRules.FirstOrDefault(r => r["id"]!.GetValue<string>() == id);
                if (rule is not null)
                {
                    Merge(rule, body!);
                    rule["lastModifiedDateTime"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture);
                    rule = (JsonObject)rule.DeepClone();
                }
            }

            await (rule is null ? ApiErrors.WriteAsync(c, 404, "NotFound", "The detection rule was not found.") : c.Response.WriteAsJsonAsync(rule)).ConfigureAwait(false);
        });
        app.MapDelete(Root + "/{id}", async (HttpContext c, string id) =>
        {
            if (await ApiAuth.AuthorizeAsync(c, state, "CustomDetection.ReadWrite.All").ConfigureAwait(false) is not { } data)
            {
                return;
            }

            bool removed;
            lock (data.Gate)
            {
                removed = data.DetectionRules.RemoveAll(r => r["id"]!.GetValue<string>() == id) > 0;
            }

            if (!removed)
            {
                await ApiErrors.WriteAsync(c, 404, "NotFound", "The detection rule was not found.").ConfigureAwait(false);
                return;
            }

            c.Response.StatusCode = 204;
        });
    }

    private static string? Validate(JsonObject body, bool creating)
    {
        if (creating && (JsonBody.Text(body["displayName"]) is null || JsonBody.Text((body["queryCondition"] as JsonObject)?["queryText"]) is null || (body["schedule"] as JsonObject)?["period"] is null || JsonBody.Text(((body["detectionAction"] as JsonObject)?["alertTemplate"] as JsonObject)?["title"]) is null))
        {
            return "displayName, queryCondition.queryText, schedule.period and detectionAction.alertTemplate.title are required.";
        }

        if (body["schedule"] is { } schedule && (schedule is not JsonObject || (schedule["period"] is { } period && !Periods.Contains(JsonBody.Text(period) ?? string.Empty))))
        {
            return "schedule.period must be 0, 1H, 3H, 12H or 24H.";
        }

        return null;
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is JsonObject nested && target[name] is JsonObject existing)
            {
                Merge(existing, nested);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }
}
