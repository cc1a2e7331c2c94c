using System.Text.Json;
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

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapPost("/_emulator/faults", async (HttpContext c) =>
        {
            var spec = await c.Request.ReadFromJsonAsync<FaultSpec>(Json, c.RequestAborted).ConfigureAwait(false);
            if (spec is null || spec.Status is < 0 or > 599)
            {
                return Results.BadRequest(new { error = "invalid fault" });
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
        app.MapPost("/_emulator/tables", async (HttpContext c) =>
        {
            using var doc = await JsonDocument.ParseAsync(c.Request.Body, default, c.RequestAborted).ConfigureAwait(false);
            var root = doc.RootElement;
            var tenant = state.FindTenant(root.TryGetProperty("tenant", out var t) ? t.GetString() ?? string.Empty : string.Empty);
            var table = root.TryGetProperty("table", out var tb) ? tb.GetString() : null;
            var rows = root.TryGetProperty("rows", out var r) && r.TryGetInt32(out var n) ? n : -1;
            if (tenant is null || table is null || !HuntingColumns.ByTable.ContainsKey(table) || rows is < 0 or > 1_000_000)
            {
                return Results.BadRequest(new { error = "need tenant, a known table and 0..1000000 rows" });
            }

            var data = state.Data(tenant);
            var resized = DataGenerator.ResizeTable(data, state.IndexOf(tenant), table, rows, state.Now);
            lock (data.Gate)
            {
                var current = data.Tables[table];
                current.Rows.Clear();
                current.Rows.AddRange(resized.Rows);
            }

            return Results.Json(new { table, rows = data.Tables[table].Rows.Count });
        });
    }
}
