using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DefenderMcp.Emulator.Api;

/// <summary>
/// Graph beta custom detection rules in the current schema (defender-api.md §2.4): the client supplies <c>id</c>,
/// <c>status</c> and <c>schedule.frequency</c>; the members removed on 2026-10-01 (<c>isEnabled</c>,
/// <c>schedule.period</c>, <c>detectionAction.responseActions</c>) are refused with the OData error Graph gives for an
/// unknown property. Rules stored in the classic schema are still read.
/// </summary>
public static partial class DetectionRuleEndpoints
{
    private const string Root = "/beta/security/rules/detectionRules";
    private const string RuleType = "microsoft.graph.security.detectionRule";
    private static readonly string[] Statuses = ["enabled", "disabled"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,127}$")]
    private static partial Regex IdPattern();

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
                rule = (JsonObject?)Find(data, id)?.DeepClone();
            }

            await (rule is null ? NotFoundAsync(c, id) : c.Response.WriteAsJsonAsync(rule)).ConfigureAwait(false);
        });
        app.MapPost(Root, async (HttpContext c) =>
        {
            if (await ApiAuth.AuthorizeAsync(c, state, "CustomDetection.ReadWrite.All").ConfigureAwait(false) is not { } data)
            {
                return;
            }

            var body = await JsonBody.ReadObjectAsync(c).ConfigureAwait(false);
            var problem = body is null ? "The body must be a JSON object." : Removed(body) ?? Validate(body, creating: true);
            if (problem is not null)
            {
                await ApiErrors.WriteAsync(c, 400, "BadRequest", problem).ConfigureAwait(false);
                return;
            }

            var id = JsonBody.Text(body!["id"])!;
            JsonObject? rule = null;
            lock (data.Gate)
            {
                if (Find(data, id) is null)
                {
                    var now = Iso(DateTime.UtcNow);
                    rule = (JsonObject)body.DeepClone();
                    rule["@odata.type"] = "#" + RuleType;
                    rule["detectorId"] = Guid.NewGuid().ToString();
                    rule["createdBy"] = c.Items["appId"] as string;
                    rule["createdDateTime"] = now;
                    rule["lastModifiedBy"] = c.Items["appId"] as string;
                    rule["lastModifiedDateTime"] = now;
                    ((JsonObject)rule["queryCondition"]!)["lastModifiedDateTime"] = now;
                    rule["lastRunDetails"] = new JsonObject { ["lastRunDateTime"] = null, ["status"] = null, ["failureReason"] = null, ["errorCode"] = null };
                    data.DetectionRules.Add(rule);
                    rule = (JsonObject)rule.DeepClone();
                }
            }

            if (rule is null)
            {
                // Not documented; answered as Graph answers a duplicate key (docs/emulator.md).
                await ApiErrors.WriteAsync(c, 409, "Conflict", $"A detection rule with id '{id}' already exists.").ConfigureAwait(false);
                return;
            }

            c.Response.StatusCode = 201;
            c.Response.Headers.Location = $"https://graph.microsoft.com{Root}/{Uri.EscapeDataString(id)}";
            await c.Response.WriteAsJsonAsync(rule).ConfigureAwait(false);
        });
        app.MapMethods(Root + "/{id}", ["PATCH"], async (HttpContext c, string id) =>
        {
            if (await ApiAuth.AuthorizeAsync(c, state, "CustomDetection.ReadWrite.All").ConfigureAwait(false) is not { } data)
            {
                return;
            }

            var body = await JsonBody.ReadObjectAsync(c).ConfigureAwait(false);
            var problem = body is null ? "The body must be a JSON object." : Removed(body) ?? Validate(body, creating: false);
            if (problem is null && body!["id"] is { } newId && JsonBody.Text(newId) != id)
            {
                problem = "The id of a detection rule cannot be changed.";
            }

            if (problem is not null)
            {
                await ApiErrors.WriteAsync(c, 400, "BadRequest", problem).ConfigureAwait(false);
                return;
            }

            JsonObject? rule;
            lock (data.Gate)
            {
                rule = Find(data, id);
                if (rule is not null)
                {
                    Merge(rule, body!);
                    var now = Iso(DateTime.UtcNow);
                    rule["lastModifiedBy"] = c.Items["appId"] as string;
                    rule["lastModifiedDateTime"] = now;
                    if (body!["queryCondition"] is JsonObject && rule["queryCondition"] is JsonObject condition)
                    {
                        condition["lastModifiedDateTime"] = now;
                    }

                    rule = (JsonObject)rule.DeepClone();
                }
            }

            await (rule is null ? NotFoundAsync(c, id) : c.Response.WriteAsJsonAsync(rule)).ConfigureAwait(false);
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
                removed = data.DetectionRules.RemoveAll(r => JsonBody.Text(r["id"]) == id) > 0;
            }

            if (!removed)
            {
                await NotFoundAsync(c, id).ConfigureAwait(false);
                return;
            }

            c.Response.StatusCode = 204;
        });
    }

    private static JsonObject? Find(Data.TenantData data, string id) => data.DetectionRules.FirstOrDefault(r => JsonBody.Text(r["id"]) == id);

    private static Task NotFoundAsync(HttpContext c, string id) =>
        ApiErrors.WriteAsync(c, 404, "NotFound", $"The detection rule '{(id.Length > 64 ? id[..64] : id)}' was not found.");

    // The members removed on 2026-10-01: Graph refuses a property its type no longer has with this OData message.
    private static string? Removed(JsonObject body)
    {
        var schedule = body["schedule"] as JsonObject;
        var action = body["detectionAction"] as JsonObject;
        var (member, type) = body.ContainsKey("isEnabled") ? ("isEnabled", RuleType)
            : schedule?.ContainsKey("period") == true ? ("period", "microsoft.graph.security.ruleSchedule")
            : schedule?.ContainsKey("nextRunDateTime") == true ? ("nextRunDateTime", "microsoft.graph.security.ruleSchedule")
            : action?.ContainsKey("responseActions") == true ? ("responseActions", "microsoft.graph.security.detectionAction")
            : (null, null);
        return member is null ? null : $"The property '{member}' does not exist on type '{type}'. Make sure to only use property names that are defined by the type or mark the type as open type.";
    }

    private static string? Validate(JsonObject body, bool creating)
    {
        if (creating && (JsonBody.Text(body["id"]) is null || JsonBody.Text(body["displayName"]) is null || JsonBody.Text(body["status"]) is null ||
            JsonBody.Text((body["queryCondition"] as JsonObject)?["queryText"]) is null || (body["schedule"] as JsonObject)?["frequency"] is null))
        {
            return "id, displayName, status, queryCondition.queryText and schedule.frequency are required.";
        }

        if (body["id"] is { } id && (JsonBody.Text(id) is not { } text || !IdPattern().IsMatch(text)))
        {
            return "id must be 1 to 128 letters, digits or hyphens.";
        }

        if (body["status"] is { } status && !Statuses.Contains(JsonBody.Text(status)))
        {
            return "status must be enabled or disabled.";
        }

        if (body["schedule"] is { } schedule && (schedule is not JsonObject || (schedule["frequency"] is { } frequency && !IsDuration(JsonBody.Text(frequency)))))
        {
            return "schedule.frequency must be an ISO 8601 duration such as PT1H or P1D.";
        }

        return null;
    }

    private static bool IsDuration(string? value)
    {
        if (value is null)
        {
            return false;
        }

        try
        {
            return XmlConvert.ToTimeSpan(value) >= TimeSpan.Zero;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Iso(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

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
