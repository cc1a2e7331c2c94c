using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Emulator.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DefenderMcp.Emulator.Api;

/// <summary>The control plane under <c>/_emulator/</c>: faults, the request log, reset and table sizes.</summary>
public static class ControlEndpoints
{
    /// <summary>JSON options of the control plane (camelCase).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    // Names every body mode from the one list the check uses.
    private static readonly string InvalidFault =
        $"invalid fault: status 0..599, count >= 0, delayMs 0..600000, body null|{string.Join('|', FaultSpec.BodyModes)}, code 1-64 letters or digits, message up to 1000 characters";

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapPost("/_emulator/faults", async (HttpContext c) =>
        {
            FaultSpec? spec;
            try
            {
                spec = await c.Request.ReadFromJsonAsync<FaultSpec>(Json, c.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                return Results.BadRequest(new { error = "the body must be a FaultSpec JSON object" });
            }

            if (spec is null || spec.Status is < 0 or > 599 || spec.Count < 0 || spec.DelayMs is < 0 or > 600_000 || spec.RetryAfterSeconds is < 0 || (spec.Body is not null && !FaultSpec.BodyModes.Contains(spec.Body, StringComparer.Ordinal)) ||
                spec.Code is { } code && (code.Length is 0 or > 64 || !code.All(char.IsAsciiLetterOrDigit)) || spec.Message is { Length: > 1000 })
            {
                return Results.BadRequest(new { error = InvalidFault });
            }

            try
            {
                return Results.Json(new { id = state.Faults.Add(spec) });
            }
            catch (ArgumentException)
            {
                return Results.BadRequest(new { error = "invalid pathPattern" });
            }
        });
        app.MapDelete("/_emulator/faults", () =>
        {
            state.Faults.Clear();
            return Results.NoContent();
        });
        app.MapGet("/_emulator/requests", () => Results.Json(state.Requests.Snapshot(), Json));
        app.MapDelete("/_emulator/requests", () =>
        {
            state.Requests.Clear();
            return Results.NoContent();
        });
        app.MapPost("/_emulator/reset", () =>
        {
            state.Reset();
            return Results.NoContent();
        });
        app.MapPost("/_emulator/federated-token", async (HttpContext c) =>
        {
            // Plays the external issuer of workload identity federation: a token to put in AZURE_FEDERATED_TOKEN_FILE.
            var body = await JsonBody.ReadObjectAsync(c).ConfigureAwait(false);
            var seconds = body?["lifetimeSeconds"] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) ? n : 3600;
            var subject = JsonBody.Text(body?["subject"]) ?? Security.FederatedCredential.Subject;
            var audience = JsonBody.Text(body?["audience"]) ?? Security.FederatedCredential.Audience;
            return seconds is < -86_400 or > 86_400
                ? Results.BadRequest(new { error = "lifetimeSeconds must be within a day" })
                : Results.Json(new { token = state.Tokens.Federation.Issue(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(seconds), subject, audience) });
        });
        app.MapPut("/_emulator/apps/{clientId}/roles", async (HttpContext c, string clientId) =>
        {
            // Gives one app exactly the roles a case needs (null or absent keeps the app's own), for new tokens.
            var root = await JsonBody.ReadObjectAsync(c).ConfigureAwait(false);
            var known = state.Tenants.Any(t => t.App.ClientId == clientId || t.LimitedApp.ClientId == clientId);
            var graph = Roles(root?["graph"]);
            var mde = Roles(root?["mde"]);
            if (!known || root is null || graph.Bad || mde.Bad)
            {
                return Results.BadRequest(new { error = "need a known client id and {graph?, mde?}: arrays of up to 64 role names" });
            }

            state.Tokens.SetRoles(clientId, graph.Roles, mde.Roles);
            return Results.NoContent();
        });
        app.MapPost("/_emulator/machines", async (HttpContext c) =>
        {
            // A copy of one of the tenant's machines under another computer DNS name (and a new id), e.g. a second
            // "ws-fin-07" in another domain to see how a short host name that two devices share is answered.
            var root = await JsonBody.ReadObjectAsync(c).ConfigureAwait(false);
            var tenant = state.FindTenant(JsonBody.Text(root?["tenant"]) ?? string.Empty);
            var copyOf = JsonBody.Text(root?["copyOf"]);
            var name = JsonBody.Text(root?["computerDnsName"]);
            if (tenant is null || copyOf is null || name is null || name.Length > 255 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_'))
            {
                return Results.BadRequest(new { error = "need tenant, copyOf (a machine id or name) and computerDnsName (letters, digits, '.', '-', '_')" });
            }

            var data = state.Data(tenant);
            JsonObject copy;
            lock (data.Gate)
            {
                var source = data.Machines.FirstOrDefault(m => string.Equals(m["id"]?.GetValue<string>(), copyOf, StringComparison.OrdinalIgnoreCase) || string.Equals(m["computerDnsName"]?.GetValue<string>(), copyOf, StringComparison.OrdinalIgnoreCase));
                if (source is null || data.Machines.Any(m => string.Equals(m["computerDnsName"]?.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase)))
                {
                    return Results.BadRequest(new { error = "copyOf is not a machine of the tenant, or computerDnsName is taken" });
                }

                copy = (JsonObject)source.DeepClone();
                copy["id"] = DataGenerator.Hex(tenant.Key + "/" + name, 20);
                copy["computerDnsName"] = name;
                data.AddMachine(copy);
            }

            return Results.Json(new { id = copy["id"]!.GetValue<string>() });
        });
        app.MapPost("/_emulator/tables", async (HttpContext c) =>
        {
            var root = await JsonBody.ReadObjectAsync(c).ConfigureAwait(false);
            var tenant = state.FindTenant(JsonBody.Text(root?["tenant"]) ?? string.Empty);
            var table = JsonBody.Text(root?["table"]);
            var rows = root?["rows"] is JsonValue r && r.GetValueKind() == JsonValueKind.Number && r.TryGetValue<int>(out var n) ? n : -1;
            if (tenant is null || table is null || !HuntingColumns.ByTable.ContainsKey(table) || rows is < 0 or > 1_000_000)
            {
                return Results.BadRequest(new { error = "need tenant, a known table and 0..1000000 rows" });
            }

            var data = state.Data(tenant);
            var resized = DataGenerator.ResizeTable(data, state.IndexOf(tenant), table, rows, state.Now);
            data.ReplaceTable(resized);

            return Results.Json(new { table, rows = data.Tables[table].Rows.Count });
        });
    }

    private static (IReadOnlyList<string>? Roles, bool Bad) Roles(JsonNode? node)
    {
        if (node is null)
        {
            return (null, false);
        }

        if (node is not JsonArray array || array.Count > 64)
        {
            return (null, true);
        }

        var roles = array.Select(r => JsonBody.Text(r)).ToList();
        return roles.All(r => r is { Length: > 0 and <= 100 }) ? ([.. roles.Select(r => r!)], false) : (null, true);
    }
}
