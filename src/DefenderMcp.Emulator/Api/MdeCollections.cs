using System.Text.Json.Nodes;
using DefenderMcp.Emulator.Data;
using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Emulator.Api;

/// <summary>
/// What the MDE entity and vulnerability routes share: the <c>{ "@odata.context", "value" }</c> envelope of a list
/// read whole, and a route under <c>/api/machines/{id}/...</c> that answers only for a machine of the tenant (an
/// unknown id is a 404 <c>ResourceNotFound</c>, as the pages document).
/// </summary>
internal static class MdeCollections
{
    /// <summary>The MDE <c>$metadata</c> base of every <c>@odata.context</c>.</summary>
    public const string Metadata = "https://api.security.microsoft.com/api/$metadata#";

    /// <summary>A list of <paramref name="type"/> with every item.</summary>
    public static JsonObject List(string type, IEnumerable<JsonObject> items) => new()
    {
        ["@odata.context"] = Metadata + type,
        ["value"] = new JsonArray([.. items.Select(i => (JsonNode)i)]),
    };

    /// <summary>Authorizes, finds the machine (by id, any case) and writes <paramref name="answer"/> for it, or the 404.</summary>
    public static async Task MachineAsync(HttpContext context, EmulatorState state, string id, string[] roles, Func<TenantData, string, JsonObject> answer)
    {
        if (await ApiAuth.AuthorizeAsync(context, state, roles).ConfigureAwait(false) is not { } data)
        {
            return;
        }

        string? machine;
        lock (data.Gate)
        {
            machine = data.Machines.FirstOrDefault(m => string.Equals(m["id"]?.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase))?["id"]?.GetValue<string>();
        }

        if (machine is null)
        {
            await ApiErrors.WriteAsync(context, 404, "ResourceNotFound", "Machine was not found.").ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(answer(data, machine)).ConfigureAwait(false);
    }
}
