using System.Text.Json;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Areas.SavedHunts;
using DefenderMcp.Configuration;
using DefenderMcp.Kql.Schema;
using DefenderMcp.Policy;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Mcp;

/// <summary>
/// MCP resources: the hunting schema per table, cached hunting results, and saved hunts. Registered as
/// <see cref="DefenderResourceTemplate"/>s rather than the SDK's attribute-based resources, which cost a regex per
/// template at every start.
/// </summary>
public static class DefenderResources
{
    /// <summary>One table's columns and types.</summary>
    public const string SchemaTemplate = "defender://schema/{table}";

    /// <summary>A whole cached hunting result.</summary>
    public const string ResultTemplate = "defender://results/{resultId}";

    /// <summary>One saved hunt.</summary>
    public const string HuntTemplate = "defender://hunts/{name}";

    private const string Json = "application/json";

    /// <summary>The three templates, in the order resources/templates/list gives them.</summary>
    public static IReadOnlyList<McpServerResource> Templates() =>
    [
        new DefenderResourceTemplate(
            new ResourceTemplate { UriTemplate = SchemaTemplate, Name = "hunting_schema", Description = "The columns and KQL types of one advanced hunting table.", MimeType = Json },
            (table, _, _) => ValueTask.FromResult(Schema(table))),
        new DefenderResourceTemplate(
            new ResourceTemplate { UriTemplate = ResultTemplate, Name = "hunting_result", Description = "A cached hunting result: schema and every row. Expires 30 minutes after the query.", MimeType = Json },
            (resultId, request, cancellationToken) => ResultAsync(Service<HuntingResultCache>(request), resultId, cancellationToken)),
        new DefenderResourceTemplate(
            new ResourceTemplate { UriTemplate = HuntTemplate, Name = "saved_hunt", Description = "A saved hunt: its description, techniques, default timespan and KQL.", MimeType = Json },
            (name, request, _) => ValueTask.FromResult(Hunt(Service<SavedHuntLibrary>(request), Grant(request), name))),
    ];

    private static T Service<T>(RequestContext<ReadResourceRequestParams> request)
        where T : notnull =>
        (request.Services ?? throw new InvalidOperationException("The request has no services.")).GetRequiredService<T>();

    private static string Schema(string table)
    {
        var schema = HuntingSchemaCatalog.Find(table) ?? throw new McpProtocolException("Unknown table. Use get_hunting_schema to list the tables.", McpErrorCode.ResourceNotFound);
        return JsonSerializer.Serialize(new { table = schema.Name, purpose = schema.Purpose, columns = schema.Columns.Select(c => new Dictionary<string, string> { ["Name"] = c.Name, ["Type"] = c.Type }) }, ToolJson.Options);
    }

    // The whole result, bounded by the cache itself.
    private static async ValueTask<string> ResultAsync(HuntingResultCache cache, string resultId, CancellationToken cancellationToken)
    {
        CachedHuntingResult? found;
        try
        {
            found = await cache.TryGetAsync(resultId, tenant: null, cancellationToken).ConfigureAwait(false);
        }
        catch (State.StateStoreException ex)
        {
            throw new StoreUnavailableException(ex.Message, ex);
        }

        var entry = found ?? throw new McpProtocolException("No such hunting result: it expired or was evicted.", McpErrorCode.ResourceNotFound);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("tenant", entry.Tenant);
            writer.WriteString("result_id", entry.ResultId);
            writer.WriteString("query", entry.Query);
            writer.WriteStartArray("schema");
            foreach (var column in entry.Result.Schema)
            {
                writer.WriteStartObject();
                // Keyed as get_hunting_results and query_advanced_hunting key a column.
                writer.WriteString("Name", column.Name);
                writer.WriteString("Type", column.Type);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("rows");
            foreach (var row in entry.Result.Rows)
            {
                writer.WriteRawValue(row.Span, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static CallerGrant Grant(RequestContext<ReadResourceRequestParams> request)
    {
        var settings = Service<ServerSettings>(request);
        return settings.Callers.Grant(CallerClaims.From(request.User), settings.Tenants);
    }

    // A hunt naming a tenant outside the caller's grant reads as one that does not exist.
    private static string Hunt(SavedHuntLibrary hunts, CallerGrant grant, string name)
    {
        var hunt = hunts.Find(name, grant) ?? throw new McpProtocolException("No saved hunt of that name. Use list_saved_hunts.", McpErrorCode.ResourceNotFound);
        return JsonSerializer.Serialize(hunt, ToolJson.Options);
    }
}
