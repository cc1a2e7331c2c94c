using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DefenderMcp.Emulator.Api;

/// <summary>Defender for Endpoint: machines (defender-api.md §3.4).</summary>
public static class MdeEndpoints
{
    private static readonly HashSet<string> MachineFilters = ["computerDnsName", "id", "version", "deviceValue", "aadDeviceId", "machineTags", "lastSeen", "exposureLevel", "onboardingStatus", "lastIpAddress", "healthStatus", "osPlatform", "riskScore", "rbacGroupId"];

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapGet("/api/machines", (HttpContext c) => ListMachinesAsync(c, state));
        app.MapGet("/api/machines/{id}", (HttpContext c, string id) => GetMachineAsync(c, state, id));
    }

    private static async Task ListMachinesAsync(HttpContext context, EmulatorState state)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Machine.Read.All", "Machine.ReadWrite.All").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        var filter = ODataFilter.Parse(context.Request.Query["$filter"], MachineFilters, out var error);
        if (filter is null)
        {
            await ApiErrors.WriteAsync(context, 400, "ODataError", error!).ConfigureAwait(false);
            return;
        }

        List<JsonObject> items;
        lock (data.Gate)
        {
            items = [.. data.Machines.Where(filter)];
        }

        await Paging.WriteAsync(context, "https://api.security.microsoft.com/api/$metadata#Machines", items, 10_000, 10_000, nextLinkWithTop: false).ConfigureAwait(false);
    }

    private static async Task GetMachineAsync(HttpContext context, EmulatorState state, string id)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, "Machine.Read.All", "Machine.ReadWrite.All").ConfigureAwait(false) is not { } data)
        {
            return;
        }

        JsonObject? machine;
        lock (data.Gate)
        {
            machine = data.Machines.FirstOrDefault(m => string.Equals(m["id"]?.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase) ||
                                                        string.Equals(m["computerDnsName"]?.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase));
            machine = (JsonObject?)machine?.DeepClone();
        }

        if (machine is null)
        {
            await ApiErrors.WriteAsync(context, 404, "ResourceNotFound", "Machine was not found.").ConfigureAwait(false);
            return;
        }

        machine["@odata.context"] = "https://api.security.microsoft.com/api/$metadata#Machines/$entity";
        await context.Response.WriteAsJsonAsync(machine).ConfigureAwait(false);
    }
}
