using System.Text.Json.Nodes;
using DefenderMcp.Kql.Schema;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Hunting;

/// <summary><c>get_hunting_schema</c>: the documented tables and columns, optionally checked against a tenant.</summary>
public sealed class GetHuntingSchemaTool(ToolServices services) : DefenderTool(Spec, services)
{
    private static readonly ToolParameter Table = ToolParameter.String("table", "A table name, e.g. DeviceProcessEvents. Omit to list the tables.", 64, "^[A-Za-z][A-Za-z0-9_]{0,63}$");

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_hunting_schema",
        Title = "Get the hunting schema",
        Description =
            "Lists the advanced hunting tables with a one-line purpose, or, given a table, its columns and types. Use it before " +
            "writing KQL. With a tenant, it also asks that tenant's live schema " +
            "(one small query) and reports the columns that differ.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        FanOut = false,
        ResultType = typeof(HuntingSchemaOutput),
        Parameters = [Table, SharedParameters.OneTenant],
    };

    private static string FunctionPurpose(HuntingFunctionSchema function) =>
        $"Function, call as '{function.Syntax}': {function.Purpose}" + (function.PassThrough ? " Keeps the input's columns." : string.Empty);

    /// <inheritdoc />
    protected override async Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var name = call.Arguments.OptionalString(Table);
        if (name is null)
        {
            if (call.Arguments.Has("tenant"))
            {
                throw ToolException.InvalidInput("'tenant' needs a 'table' to compare.");
            }

            // The documented functions follow the tables, marked as such, so a model finds FileProfile or DeviceFromIP
            // where it looks for data sources (about 13 KB for the whole list).
            return ToJson(new HuntingSchemaOutput(
                [.. HuntingSchemaCatalog.Tables.Select(t => new HuntingTableSummary(t.Name, t.Purpose, t.Columns.Count)),
                 .. HuntingSchemaCatalog.Functions.Select(f => new HuntingTableSummary(f.Name, FunctionPurpose(f), f.Columns.Count))],
                null, null, null, null));
        }

        if (HuntingSchemaCatalog.FindFunction(name) is { } function)
        {
            if (call.Arguments.Has("tenant"))
            {
                throw ToolException.InvalidInput("A function has no live schema to compare: omit 'tenant'.");
            }

            call.Selection = new Policy.TenantSelection([], false);
            return ToJson(new HuntingSchemaOutput(null, function.Name, FunctionPurpose(function), [.. function.Columns.Select(c => new HuntingColumnOutput(c.Name, c.Type))], null));
        }

        var table = HuntingSchemaCatalog.Find(name) ?? HuntingSchemaCatalog.FindIgnoreCase(name) ?? throw new ToolException(
            ErrorCodes.NotFound,
            $"Unknown table. Did you mean: {string.Join(", ", HuntingSchemaCatalog.SuggestTables(name))}?");
        LiveSchemaDifference? live = null;
        if (call.Arguments.Has("tenant"))
        {
            var tenant = SelectTenants(call).Tenants[0];
            // A zero-row query returns the live schema; the table name comes from our catalog, never from the caller.
            var result = await Services.Tenants.GetClient(tenant).RunHuntingQueryAsync($"{table.Name} | take 0", "PT1H", cancellationToken).ConfigureAwait(false);
            var liveColumns = result.Schema.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
            live = new LiveSchemaDifference(
                tenant.Key,
                [.. table.Columns.Where(c => !liveColumns.ContainsKey(c.Name)).Select(c => c.Name)],
                [.. result.Schema.Where(c => table.FindColumn(c.Name) is null).Select(c => $"{c.Name} ({c.Type})")],
                [.. table.Columns.Where(c => liveColumns.TryGetValue(c.Name, out var t) && !string.Equals(t, HuntingSchemaCatalog.ApiTypeName(c.Type), StringComparison.OrdinalIgnoreCase))
                    .Select(c => $"{c.Name}: {HuntingSchemaCatalog.ApiTypeName(c.Type)} → {liveColumns[c.Name]}")]);
        }
        else
        {
            call.Selection = new Policy.TenantSelection([], false);
        }

        return ToJson(new HuntingSchemaOutput(null, table.Name, table.Purpose, [.. table.Columns.Select(c => new HuntingColumnOutput(c.Name, c.Type))], live));
    }
}
