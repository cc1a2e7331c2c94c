using System.ComponentModel;
using System.Text.Json;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Areas.SavedHunts;
using DefenderMcp.Kql.Schema;
using ModelContextProtocol.Server;
using ModelContextProtocol;

namespace DefenderMcp.Mcp;

/// <summary>MCP resources: the hunting schema per table, cached hunting results, and saved hunts.</summary>
[McpServerResourceType]
public sealed class DefenderResources(HuntingResultCache cache, SavedHuntLibrary hunts)
{
    /// <summary>One table's columns and types.</summary>
    [McpServerResource(UriTemplate = "defender://schema/{table}", Name = "hunting_schema", MimeType = "application/json")]
    [Description("The columns and KQL types of one advanced hunting table.")]
    public string Schema(string table)
    {
        var schema = HuntingSchemaCatalog.Find(table) ?? throw new McpException("Unknown table. Use get_hunting_schema to list the tables.");
        return JsonSerializer.Serialize(new { table = schema.Name, purpose = schema.Purpose, columns = schema.Columns.Select(c => new { name = c.Name, type = c.Type }) }, ToolJson.Options);
    }

    /// <summary>A whole cached hunting result (bounded by the cache itself).</summary>
    [McpServerResource(UriTemplate = "defender://results/{resultId}", Name = "hunting_result", MimeType = "application/json")]
    [Description("A cached hunting result: schema and every row. Expires 30 minutes after the query.")]
    public async Task<string> Result(string resultId, CancellationToken cancellationToken)
    {
        var entry = await cache.TryGetAsync(resultId, tenant: null, cancellationToken).ConfigureAwait(false) ?? throw new McpException("No such hunting result: it expired or was evicted.");
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
                writer.WriteString("name", column.Name);
                writer.WriteString("type", column.Type);
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

    /// <summary>One saved hunt.</summary>
    [McpServerResource(UriTemplate = "defender://hunts/{name}", Name = "saved_hunt", MimeType = "application/json")]
    [Description("A saved hunt: its description, techniques, default timespan and KQL.")]
    public string Hunt(string name)
    {
        var hunt = hunts.Find(name) ?? throw new McpException("No saved hunt of that name. Use list_saved_hunts.");
        return JsonSerializer.Serialize(hunt, ToolJson.Options);
    }
}
