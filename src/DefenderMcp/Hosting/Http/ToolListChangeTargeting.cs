using System.Collections.Concurrent;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Sends a callers-file reload's <c>notifications/tools/list_changed</c> (<see cref="ToolListChanges"/>) only to the
/// sessions whose tool list it changed: each session's view is recorded when it lists the tools, and the notice to a
/// session whose caller would be shown the same tools now is dropped, so a client is not made to fetch (and a model
/// to reread) an unchanged list. A session that never listed the tools gets the notice as before. Views are kept by
/// session id and dropped once their session has ended (<see cref="LiveSessions"/>).
/// </summary>
public static class ToolListChangeTargeting
{
    /// <summary>Adds the recording list filter and the outgoing notice filter to the server.</summary>
    public static IMcpServerBuilder WithTargetedToolListChanges(this IMcpServerBuilder builder, ServerSettings settings, LiveSessions live)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(live);

        var views = new ConcurrentDictionary<string, SessionToolView>(StringComparer.Ordinal);
        return builder
            .WithRequestFilters(filters => filters.AddListToolsFilter(next => async (context, cancellationToken) =>
            {
                var result = await next(context, cancellationToken).ConfigureAwait(false);
                if (context.Server.SessionId is { } id)
                {
                    views[id] = new SessionToolView(context.User, CallerToolListFilter.VisibleTools(settings, context.User));
                    foreach (var ended in views.Keys.Where(k => !live.Holds(k)))
                    {
                        views.TryRemove(ended, out _);
                    }
                }

                return result;
            }))
            .WithMessageFilters(filters => filters.AddOutgoingFilter(next => async (context, cancellationToken) =>
            {
                if (context.JsonRpcMessage is JsonRpcNotification { Method: NotificationMethods.ToolListChangedNotification }
                    && context.Server?.SessionId is { } id
                    && views.TryGetValue(id, out var view)
                    && !view.Changes(CallerToolListFilter.VisibleTools(settings, view.User)))
                {
                    return;
                }

                await next(context, cancellationToken).ConfigureAwait(false);
            }));
    }
}
