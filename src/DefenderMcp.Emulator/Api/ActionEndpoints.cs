using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DefenderMcp.Emulator.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DefenderMcp.Emulator.Api;

/// <summary>MDE machine actions, machine action reads and custom indicators (defender-api.md §3.5, §3.6, §3.9).</summary>
public static partial class ActionEndpoints
{
    private static readonly Dictionary<string, (string Type, string Role)> Actions = new(StringComparer.Ordinal)
    {
        ["isolate"] = ("Isolate", "Machine.Isolate"),
        ["unisolate"] = ("Unisolate", "Machine.Isolate"),
        ["restrictCodeExecution"] = ("RestrictCodeExecution", "Machine.RestrictExecution"),
        ["unrestrictCodeExecution"] = ("UnrestrictCodeExecution", "Machine.RestrictExecution"),
        ["runAntiVirusScan"] = ("RunAntiVirusScan", "Machine.Scan"),
        ["collectInvestigationPackage"] = ("CollectInvestigationPackage", "Machine.CollectForensics"),
        ["offboard"] = ("Offboard", "Machine.Offboard"),
        ["StopAndQuarantineFile"] = ("StopAndQuarantineFile", "Machine.StopAndQuarantine"),
    };

    private static readonly HashSet<string> ActionFilters = ["id", "status", "machineId", "type", "requestor", "creationDateTimeUtc"];
    private static readonly HashSet<string> IndicatorTypes = ["FileSha1", "FileMd5", "CertificateThumbprint", "FileSha256", "IpAddress", "DomainName", "Url"];
    private static readonly HashSet<string> IndicatorActions = ["Allowed", "Audit", "Block", "BlockAndRemediate", "Warn"];
    private static readonly Dictionary<string, string> RetiredActions = new(StringComparer.Ordinal) { ["Alert"] = "Audit with generateAlert true", ["AlertAndBlock"] = "Block with generateAlert true" };

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex Hex();

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapPost("/api/machines/{id}/{action}", (HttpContext c, string id, string action) => ActAsync(c, state, id, action));
        app.MapGet("/api/machineactions", (HttpContext c) => ListActionsAsync(c, state));
        app.MapGet("/api/machineactions/{id}", (HttpContext c, string id) => GetActionAsync(c, state, id));
        app.MapPost("/api/machineactions/{id}/cancel", (HttpContext c, string id) => CancelAsync(c, state, id));
        app.MapGet("/api/machineactions/{id}/{op:regex(^(GetPackageUri|getPackageUri)$)}", (HttpContext c, string id) => PackageUriAsync(c, state, id));
        app.MapGet("/api/indicators", (HttpContext c) => ListIndicatorsAsync(c, state));
        app.MapPost("/api/indicators", (HttpContext c) => SubmitIndicatorAsync(c, state));
        app.MapPost("/api/indicators/import", (HttpContext c) => ImportIndicatorsAsync(c, state));
        app.MapDelete("/api/indicators/{id}", (HttpContext c, string id) => DeleteIndicatorAsync(c, state, id));
        app.MapPost("/api/indicators/BatchDelete", (HttpContext c) => BatchDeleteAsync(c, state));
    }

    private static MachineActionStore Store(EmulatorState state, TenantData data) =>
        data.Actions ??= new MachineActionStore(state.Options.ActionPendingTime, state.Options.ActionInProgressTime);

    private static async Task ActAsync(HttpContext context, EmulatorState state, string id, string action)
    {
        if (!Actions.TryGetValue(action, out var spec))
        {
            await ApiErrors.WriteAsync(context, 404, "NotFound", "No such machine action.").ConfigureAwait(false);
            return;
        }

        // Each action takes its own role only (Machine.ReadWrite.All is not enough); stop-and-quarantine's page also
        // lists the two machine roles (defender-api.md §3.11).
        string[] roles = spec.Type == "StopAndQuarantineFile" ? [spec.Role, "Machine.Read.All", "Machine.ReadWrite.All"] : [spec.Role];
        if (await ApiAuth.AuthorizeAsync(context, state, roles).ConfigureAwait(false) is not { } data)
        {
            return;
        }

        var body = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
        // MDE body names are case-sensitive.
        var comment = JsonBody.Text(body?["Comment"]);
        if (body is null || string.IsNullOrWhiteSpace(comment))
        {
            await ApiErrors.WriteAsync(context, 400, "MissingRequiredParameter", "Comment is required.").ConfigureAwait(false);
            return;
        }

        string? scope = null;
        JsonObject? related = null;
        switch (spec.Type)
        {
            case "Isolate":
                scope = body["IsolationType"] is null ? "Full" : JsonBody.Text(body["IsolationType"]);
                if (scope is not ("Full" or "Selective" or "UnManagedDevice"))
                {
                    await ApiErrors.WriteAsync(context, 400, "InvalidRequestBody", "IsolationType must be Full, Selective or UnManagedDevice.").ConfigureAwait(false);
                    return;
                }

                break;
            case "RunAntiVirusScan":
                scope = JsonBody.Text(body["ScanType"]);
                if (scope is not ("Quick" or "Full"))
                {
                    await ApiErrors.WriteAsync(context, 400, "InvalidRequestBody", "ScanType must be Quick or Full.").ConfigureAwait(false);
                    return;
                }

                break;
            case "StopAndQuarantineFile":
                var sha1 = JsonBody.Text(body["Sha1"]);
                if (sha1 is null || sha1.Length != 40 || !Hex().IsMatch(sha1))
                {
                    await ApiErrors.WriteAsync(context, 400, "InvalidHashValue", "Sha1 must be a SHA-1 hash.").ConfigureAwait(false);
                    return;
                }

                related = new JsonObject { ["fileIdentifier"] = sha1, ["fileIdentifierType"] = "Sha1" };
                break;
        }

        JsonObject result;
        lock (data.Gate)
        {
            var machine = data.Machines.FirstOrDefault(m => string.Equals(m["id"]!.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase) || string.Equals(m["computerDnsName"]!.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase));
            if (machine is null)
            {
                result = new JsonObject { ["__status"] = 404 };
            }
            // A release or removal on a device that is not isolated or restricted is accepted like any other: the API
            // documents no refusal for it (defender-api §3.5), only the one for a duplicate still pending.
            else if (Store(state, data).HasActive(machine["id"]!.GetValue<string>(), spec.Type, DateTime.UtcNow))
            {
                result = new JsonObject { ["__status"] = 400 };
            }
            else
            {
                result = (JsonObject)Store(state, data).Create(machine, spec.Type, scope, comment, context.Items["appId"] as string ?? "app", related, DateTime.UtcNow).DeepClone();
                if (spec.Type == "Offboard")
                {
                    // Emulator-only value (docs/emulator.md), so a demo shows the effect; isolation and restriction
                    // are not machine properties in the API, only the actions' history shows them (§3.4, §3.6).
                    machine["onboardingStatus"] = "Offboarded";
                }
            }
        }

        switch (result["__status"]?.GetValue<int>())
        {
            case 404:
                await ApiErrors.WriteAsync(context, 404, "ResourceNotFound", "Machine was not found.").ConfigureAwait(false);
                return;
            case 400:
                await ApiErrors.WriteAsync(context, 400, "BadRequest", "Action is already in progress").ConfigureAwait(false);
                return;
        }

        context.Response.StatusCode = 201;
        await context.Response.WriteAsJsonAsync(result).ConfigureAwait(false);
    }

    private static async Task ListActionsAsync(HttpContext context, EmulatorState state)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Machine.Read.All", "Machine.ReadWrite.All").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        var filter = ODataFilter.Parse(context.Request.Query["$filter"], ActionFilters, out var error);
        if (filter is null)
        {
            await ApiErrors.WriteAsync(context, 400, "ODataError", error!).ConfigureAwait(false);
            return;
        }

        List<JsonObject> items;
        lock (data.Gate)
        {
            items = [.. Store(state, data).All(DateTime.UtcNow).Where(filter).OrderByDescending(a => a["creationDateTimeUtc"]!.GetValue<string>(), StringComparer.Ordinal).Select(a => (JsonObject)a.DeepClone())];
        }

        await Paging.WriteAsync(context, "https://api.security.microsoft.com/api/$metadata#MachineActions", items, 10_000, 10_000, nextLinkWithTop: false).ConfigureAwait(false);
    }

    private static async Task GetActionAsync(HttpContext context, EmulatorState state, string id)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Machine.Read.All", "Machine.ReadWrite.All").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        JsonObject? action;
        lock (data.Gate)
        {
            action = (JsonObject?)Store(state, data).Find(id, DateTime.UtcNow)?.DeepClone();
        }

        if (action is null)
        {
            await ApiErrors.WriteAsync(context, 404, "ResourceNotFound", "Machine action was not found.").ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(action).ConfigureAwait(false);
    }

    private static async Task CancelAsync(HttpContext context, EmulatorState state, string id)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Machine.Isolate", "Machine.Scan", "Machine.RestrictExecution", "Machine.CollectForensics", "Machine.Offboard", "Machine.StopAndQuarantine", "Machine.LiveResponse").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        var comment = JsonBody.Text((await JsonBody.ReadObjectAsync(context).ConfigureAwait(false))?["Comment"]);
        if (string.IsNullOrWhiteSpace(comment))
        {
            await ApiErrors.WriteAsync(context, 400, "MissingRequiredParameter", "Comment is required.").ConfigureAwait(false);
            return;
        }

        JsonObject? action;
        string? problem = null;
        lock (data.Gate)
        {
            action = Store(state, data).Find(id, DateTime.UtcNow);
            if (action is not null && MachineActionStore.IsFinal(action["status"]!.GetValue<string>()))
            {
                problem = "The action is already in a final state and cannot be cancelled.";
            }
            else if (action is not null)
            {
                action["status"] = "Cancelled";
                action["cancellationRequestor"] = context.Items["appId"] as string;
                action["cancellationComment"] = comment;
                action["cancellationDateTimeUtc"] = DateTime.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
                action = (JsonObject)action.DeepClone();
            }
        }

        if (action is null)
        {
            await ApiErrors.WriteAsync(context, 404, "ResourceNotFound", "Machine action was not found.").ConfigureAwait(false);
        }
        else if (problem is not null)
        {
            await ApiErrors.WriteAsync(context, 400, "BadRequest", problem).ConfigureAwait(false);
        }
        else
        {
            await context.Response.WriteAsJsonAsync(action).ConfigureAwait(false);
        }
    }

    private static async Task PackageUriAsync(HttpContext context, EmulatorState state, string id)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Machine.Read.All", "Machine.ReadWrite.All").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        JsonObject? action;
        lock (data.Gate)
        {
            action = Store(state, data).Find(id, DateTime.UtcNow);
        }

        if (action is null || action["type"]!.GetValue<string>() != "CollectInvestigationPackage" || action["status"]!.GetValue<string>() != "Succeeded")
        {
            await ApiErrors.WriteAsync(context, 404, "ResourceNotFound", "No completed investigation package for this action.").ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["@odata.context"] = "https://api.security.microsoft.com/api/$metadata#Edm.String",
            ["value"] = $"https://emulator-packages.blob.core.windows.net/packages/{id}.zip?se={DateTime.UtcNow.AddMinutes(30):yyyy-MM-ddTHH:mm:ssZ}&sp=r&sv=2023-01-03&sr=b&sig=emulator",
        }).ConfigureAwait(false);
    }

    private static async Task ListIndicatorsAsync(HttpContext context, EmulatorState state)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Ti.ReadWrite.All", "Ti.ReadWrite").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        List<JsonObject> items;
        lock (data.Gate)
        {
            items = [.. data.Indicators.Select(i => (JsonObject)i.DeepClone())];
        }

        await Paging.WriteAsync(context, "https://api.security.microsoft.com/api/$metadata#Indicators", items, 10_000, 10_000, nextLinkWithTop: false).ConfigureAwait(false);
    }

    private static async Task SubmitIndicatorAsync(HttpContext context, EmulatorState state)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Ti.ReadWrite.All", "Ti.ReadWrite").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        var body = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
        var (indicator, code, message) = Upsert(body, data, context.Items["appId"] as string);
        if (indicator is null)
        {
            await ApiErrors.WriteAsync(context, 400, code!, message!).ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(indicator).ConfigureAwait(false);
    }

    private static async Task ImportIndicatorsAsync(HttpContext context, EmulatorState state)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Ti.ReadWrite.All", "Ti.ReadWrite").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        var body = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
        if (body?["Indicators"] is not JsonArray list)
        {
            await ApiErrors.WriteAsync(context, 400, "InvalidRequestBody", "Indicators is required.").ConfigureAwait(false);
            return;
        }

        if (list.Count > 500)
        {
            await ApiErrors.WriteAsync(context, 400, "MaximumBatchSizeExceeded", "At most 500 indicators per import.").ConfigureAwait(false);
            return;
        }

        var results = new JsonArray();
        foreach (var item in list)
        {
            var (indicator, _, message) = Upsert(item as JsonObject, data, context.Items["appId"] as string);
            results.Add(new JsonObject
            {
                ["id"] = indicator?["id"]?.GetValue<string>(),
                ["indicator"] = (item as JsonObject)?["indicatorValue"]?.DeepClone(),
                ["isFailed"] = indicator is null,
                ["failureReason"] = message,
            });
        }

        await context.Response.WriteAsJsonAsync(new JsonObject { ["value"] = results }).ConfigureAwait(false);
    }

    private static async Task DeleteIndicatorAsync(HttpContext context, EmulatorState state, string id)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Ti.ReadWrite.All", "Ti.ReadWrite").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        bool removed;
        lock (data.Gate)
        {
            removed = data.Indicators.RemoveAll(i => i["id"]!.GetValue<string>() == id) > 0;
        }

        if (!removed)
        {
            await ApiErrors.WriteAsync(context, 404, "ResourceNotFound", "Indicator was not found.").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 204;
    }

    private static async Task BatchDeleteAsync(HttpContext context, EmulatorState state)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Ti.ReadWrite.All", "Ti.ReadWrite").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        var body = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
        var ids = (body?["IndicatorIds"] as JsonArray)?.Select(JsonBody.Text).ToList();
        if (ids is null || ids.Count is 0 or > 500 || ids.Any(i => i is null))
        {
            await ApiErrors.WriteAsync(context, 400, "InvalidRequestBody", "IndicatorIds must hold 1 to 500 ids.").ConfigureAwait(false);
            return;
        }

        bool allFound;
        lock (data.Gate)
        {
            allFound = ids.All(id => data.Indicators.Any(i => i["id"]!.GetValue<string>() == id));
            if (allFound)
            {
                data.Indicators.RemoveAll(i => ids.Contains(i["id"]!.GetValue<string>()));
            }
        }

        if (!allFound)
        {
            await ApiErrors.WriteAsync(context, 404, "ResourceNotFound", "At least one indicator was not found; nothing was deleted.").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 204;
    }

    private static (JsonObject? Indicator, string? Code, string? Message) Upsert(JsonObject? body, TenantData data, string? appId)
    {
        string? Str(string name) => body?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var value = Str("indicatorValue");
        var type = Str("indicatorType");
        var action = Str("action");
        if (value is null || type is null || action is null || Str("title") is null || Str("description") is null)
        {
            return (null, "MissingRequiredParameter", "indicatorValue, indicatorType, action, title and description are required.");
        }

        if (RetiredActions.TryGetValue(action, out var replacement))
        {
            // ti-indicator.md: the prior actions were supported until January 2022.
            return (null, "InvalidRequestBody", $"The action {action} is no longer supported; use {replacement}.");
        }

        if (!IndicatorTypes.Contains(type) || !IndicatorActions.Contains(action))
        {
            return (null, "InvalidRequestBody", "Unknown indicatorType or action.");
        }

        // post-ti-indicator.md: "The GenerateAlert parameter must be set to TRUE when creating an action with Audit."
        var generateAlert = body!["generateAlert"] is JsonValue flag && (flag.GetValueKind() == JsonValueKind.True || (JsonBody.Text(flag) is { } text && string.Equals(text, "true", StringComparison.OrdinalIgnoreCase)));
        if (action == "Audit" && !generateAlert)
        {
            return (null, "InvalidRequestBody", "The GenerateAlert parameter must be set to TRUE when creating an action with Audit.");
        }

        var valid = type switch
        {
            "FileSha1" or "CertificateThumbprint" => value.Length == 40 && Hex().IsMatch(value),
            "FileSha256" => value.Length == 64 && Hex().IsMatch(value),
            "FileMd5" => value.Length == 32 && Hex().IsMatch(value),
            "IpAddress" => System.Net.IPAddress.TryParse(value, out _),
            "Url" => Uri.TryCreate(value, UriKind.Absolute, out _) || Uri.TryCreate("http://" + value, UriKind.Absolute, out _),
            _ => Uri.CheckHostName(value) == UriHostNameType.Dns,
        };
        if (!valid)
        {
            return (null, type switch { "IpAddress" => "InvalidIpAddress", "Url" => "InvalidUrl", "DomainName" => "InvalidDomainName", _ => "InvalidHashValue" }, $"The {type} value is not valid.");
        }

        lock (data.Gate)
        {
            var existing = data.Indicators.FirstOrDefault(i => i["indicatorType"]!.GetValue<string>() == type && string.Equals(i["indicatorValue"]!.GetValue<string>(), value, StringComparison.OrdinalIgnoreCase));
            if (existing is null && data.Indicators.Count >= 15_000)
            {
                return (null, "BadRequest", "The tenant already has 15,000 active indicators.");
            }

            var indicator = existing ?? new JsonObject { ["id"] = (++data.LastIndicatorId).ToString(System.Globalization.CultureInfo.InvariantCulture), ["creationTimeDateTimeUtc"] = DateTime.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture) };
            foreach (var field in new[] { "indicatorValue", "indicatorType", "action", "title", "description", "severity", "expirationTime", "recommendedActions", "application", "rbacGroupNames", "educateUrl" })
            {
                if (body![field] is { } node)
                {
                    indicator[field] = node.DeepClone();
                }
            }

            indicator["generateAlert"] = generateAlert;
            indicator["createdBy"] = appId;
            indicator["sourceType"] = "AadApp";
            indicator["lastUpdateTime"] = DateTime.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
            if (existing is null)
            {
                data.Indicators.Add(indicator);
            }

            return ((JsonObject)indicator.DeepClone(), null, null);
        }
    }
}
