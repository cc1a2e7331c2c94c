using DefenderMcp.Configuration;
using DefenderMcp.Policy;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Mcp;

/// <summary>
/// The tools/list filter of the caller policy: an HTTP caller sees only the tools it may call. The operator (stdio,
/// or HTTP without a callers file) sees the list unchanged.
/// </summary>
public static class CallerToolListFilter
{
    /// <summary>Wraps the list handler.</summary>
    public static McpRequestHandler<ListToolsRequestParams, ListToolsResult> Create(McpRequestHandler<ListToolsRequestParams, ListToolsResult> next, ServerSettings settings) =>
        async (context, cancellationToken) =>
        {
            var result = await next(context, cancellationToken).ConfigureAwait(false);
            var grant = settings.Callers.Grant(CallerClaims.From(context.User), settings.Tenants);
            if (grant.IsUnrestricted)
            {
                return result;
            }

            var visible = ToolCatalog.Entries.Where(e => ToolCatalog.IsVisibleTo(e.Definition, grant, settings)).Select(e => e.Definition.Name).ToHashSet(StringComparer.Ordinal);
            result.Tools = [.. result.Tools.Where(t => visible.Contains(t.Name))];

            // The list depends on who asks: no shared cache may serve it to someone else.
            result.CacheScope = CacheScope.Private;
            return result;
        };
}
