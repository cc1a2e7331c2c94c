using System.Security.Claims;
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
            if (VisibleTools(settings, context.User) is not { } visible)
            {
                return result;
            }

            result.Tools = [.. result.Tools.Where(t => visible.Contains(t.Name))];

            // The list depends on who asks: no shared cache may serve it to someone else.
            result.CacheScope = CacheScope.Private;
            return result;
        };

    /// <summary>
    /// The names of the tools <paramref name="user"/> may see under the caller policy in force now, or null when the
    /// caller is unrestricted (it sees every tool the server lists).
    /// </summary>
    public static IReadOnlySet<string>? VisibleTools(ServerSettings settings, ClaimsPrincipal? user)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var grant = settings.Callers.Grant(CallerClaims.From(user), settings.Tenants);
        return grant.IsUnrestricted
            ? null
            : ToolCatalog.Entries.Where(e => ToolCatalog.IsVisibleTo(e.Definition, grant, settings)).Select(e => e.Definition.Name).ToHashSet(StringComparer.Ordinal);
    }
}
