using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Emulator.Api;

/// <summary>OData collections: <c>$top</c>, <c>$skip</c> and an absolute <c>@odata.nextLink</c> on the same host.</summary>
public static class Paging
{
    /// <summary>Writes a page of <paramref name="items"/>, or a 400 for bad paging parameters.</summary>
    public static Task WriteAsync(HttpContext context, string odataContext, IReadOnlyList<JsonObject> items, int pageSize, int maxTop, bool nextLinkWithTop)
    {
        var query = context.Request.Query;
        if (!TryInt(query["$top"], 1, maxTop, out var top) || !TryInt(query["$skip"], 0, int.MaxValue, out var skip))
        {
            return ApiErrors.WriteAsync(context, 400, ApiErrors.IsGraph(context) ? "BadRequest" : "ODataError", $"Invalid $top or $skip (top must be 1 to {maxTop}).");
        }

        var take = top ?? pageSize;
        var start = skip ?? 0;
        var page = items.Skip(start).Take(take).Select(i => i.DeepClone()).ToList();
        var body = new JsonObject { ["@odata.context"] = odataContext };
        if (query["$count"] == "true")
        {
            body["@odata.count"] = items.Count;
        }

        body["value"] = new JsonArray([.. page]);
        // Like the real APIs: Graph always links the next page; MDE links it only when $top was not given.
        if (start + take < items.Count && (nextLinkWithTop || top is null))
        {
            var pairs = query.Where(kv => kv.Key != "$skip" && kv.Key != "$top").Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value.ToString())}").ToList();
            pairs.Add($"$top={take}");
            pairs.Add($"$skip={start + take}");
            body["@odata.nextLink"] = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}?{string.Join('&', pairs)}";
        }

        return context.Response.WriteAsJsonAsync(body);
    }

    private static bool TryInt(string? value, int min, int max, out int? result)
    {
        result = null;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            result = n;
            return true;
        }

        return false;
    }
}
