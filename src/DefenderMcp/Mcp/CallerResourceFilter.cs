using DefenderMcp.Areas.Hunting;
using DefenderMcp.Configuration;
using DefenderMcp.Policy;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Mcp;

/// <summary>
/// The resources/read filter of the caller policy: a cached hunting result (<c>defender://results/{id}</c>) of a
/// tenant the caller may not use reads exactly like an expired one. The operator reads every result.
/// </summary>
public static class CallerResourceFilter
{
    private const string ResultsPrefix = "defender://results/";

    /// <summary>Wraps the read handler.</summary>
    public static McpRequestHandler<ReadResourceRequestParams, ReadResourceResult> Create(McpRequestHandler<ReadResourceRequestParams, ReadResourceResult> next, ServerSettings settings) =>
        async (context, cancellationToken) =>
        {
            var uri = context.Params?.Uri;
            // The template matches its prefix in any letter case (DefenderResourceTemplate.IsMatch), so this must too.
            if (uri is not null && uri.StartsWith(ResultsPrefix, StringComparison.OrdinalIgnoreCase))
            {
                var grant = settings.Callers.Grant(CallerClaims.From(context.User), settings.Tenants);
                if (!grant.IsUnrestricted)
                {
                    var cache = context.Services?.GetService<HuntingResultCache>();
                    CachedHuntingResult? entry;
                    try
                    {
                        entry = cache is null ? null : await cache.TryGetAsync(Uri.UnescapeDataString(uri[ResultsPrefix.Length..]), tenant: null, cancellationToken).ConfigureAwait(false);
                    }
                    catch (State.StateStoreException ex)
                    {
                        throw new StoreUnavailableException(ex.Message, ex);
                    }

                    if (entry is null || !entry.IsReadableBy(grant, settings))
                    {
                        throw new McpProtocolException("No such hunting result: it expired or was evicted.", McpErrorCode.ResourceNotFound);
                    }
                }
            }

            return await next(context, cancellationToken).ConfigureAwait(false);
        };
}
