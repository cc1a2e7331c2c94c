using DefenderMcp.Areas.Hunting;
using DefenderMcp.Areas.SavedHunts;
using DefenderMcp.Configuration;
using DefenderMcp.Kql.Schema;
using DefenderMcp.Policy;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Mcp;

/// <summary>
/// Answers <c>completion/complete</c> for prompt arguments and resource-template arguments from what the server
/// already knows: table names (the schema catalog), saved hunt names and their techniques, live result ids and tenant
/// keys. Result ids, tenant keys and saved hunts are filtered by the caller's grant, so a completion never reveals what a read
/// would refuse. Nothing here calls Defender.
/// </summary>
public static class DefenderCompletions
{
    /// <summary>The most values one answer holds (the MCP limit).</summary>
    public const int MaxValues = 100;

    /// <summary>The handler for this configuration.</summary>
    public static McpRequestHandler<CompleteRequestParams, CompleteResult> Create(ServerSettings settings) =>
        (context, cancellationToken) =>
        {
            ArgumentNullException.ThrowIfNull(context);
            var request = context.Params;
            if (request is null)
            {
                return ValueTask.FromResult(new CompleteResult());
            }

            var grant = settings.Callers.Grant(CallerClaims.From(context.User), settings.Tenants);
            var candidates = Candidates(request.Ref, request.Argument.Name, context.Services, settings, grant);
            var prefix = request.Argument.Value ?? string.Empty;
            var matches = candidates.Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.Ordinal).ToList();
            return ValueTask.FromResult(new CompleteResult
            {
                Completion = new Completion
                {
                    Values = [.. matches.Take(MaxValues)],
                    Total = matches.Count,
                    HasMore = matches.Count > MaxValues,
                },
            });
        };

    private static IEnumerable<string> Candidates(Reference reference, string argument, IServiceProvider? services, ServerSettings settings, CallerGrant grant) =>
        (reference, argument) switch
        {
            (PromptReference { Name: "hunt_technique" }, "technique") => Hunts(services, grant).SelectMany(h => h.Techniques).Order(StringComparer.Ordinal),
            (PromptReference, "tenant") => TenantKeys(settings, grant),
            (ResourceTemplateReference { Uri: DefenderResources.SchemaTemplate }, "table") => HuntingSchemaCatalog.Tables.Select(t => t.Name),
            (ResourceTemplateReference { Uri: DefenderResources.HuntTemplate }, "name") => Hunts(services, grant).Select(h => h.Name),
            (ResourceTemplateReference { Uri: DefenderResources.ResultTemplate }, "resultId") => ResultIds(services, settings, grant),
            _ => [],
        };

    private static IEnumerable<SavedHunt> Hunts(IServiceProvider? services, CallerGrant grant) =>
        services?.GetService<SavedHuntLibrary>()?.VisibleTo(grant) ?? [];

    private static IEnumerable<string> TenantKeys(ServerSettings settings, CallerGrant grant) =>
        grant.AllowedTenants(settings.Tenants).Select(t => t.Key);

    private static IEnumerable<string> ResultIds(IServiceProvider? services, ServerSettings settings, CallerGrant grant) =>
        (services?.GetService<HuntingResultCache>()?.Recent(MaxValues * 10) ?? [])
            .Where(r => r.IsReadableBy(grant, settings))
            .Select(r => r.ResultId);
}
