using DefenderMcp.Areas.Alerts;
using DefenderMcp.Areas.DetectionRules;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Areas.Incidents;
using DefenderMcp.Areas.Indicators;
using DefenderMcp.Areas.MachineActions;
using DefenderMcp.Areas.SavedHunts;
using DefenderMcp.Areas.Status;
using DefenderMcp.Configuration;

namespace DefenderMcp.Mcp;

/// <summary>Every tool the server can expose, and which of them a configuration lists.</summary>
public static class ToolCatalog
{
    /// <summary>Every tool, area by area; each area's registration file lists its own.</summary>
    public static IReadOnlyList<ToolEntry> Entries { get; } =
    [
        .. HuntingArea.Tools,
        .. SavedHuntsArea.Tools,
        .. IncidentsArea.Tools,
        .. AlertsArea.Tools,
        .. DevicesArea.Tools,
        .. MachineActionsArea.Tools,
        .. IndicatorsArea.Tools,
        .. DetectionRulesArea.Tools,
        .. StatusArea.Tools,
    ];

    /// <summary>
    /// The tools to list: those at or below the highest tier any tenant allows. Calls are still checked per tenant,
    /// so a multi-tenant server refuses a write on a read-only tenant even though the tool is listed.
    /// </summary>
    public static IEnumerable<ToolEntry> Visible(ServerSettings settings)
    {
        var highest = settings.Tenants.Count == 0 ? ActionTier.Read : settings.Tenants.Max(t => t.Policy.Actions);
        return Entries.Where(e => e.Definition.Tier <= highest);
    }

    /// <summary>
    /// Whether a caller may see <paramref name="definition"/> in tools/list: its tier is at or below the highest
    /// effective tier over the caller's tenants. A caller with no tenant sees no tool.
    /// </summary>
    public static bool IsVisibleTo(ToolDefinition definition, Policy.CallerGrant grant, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(settings);
        return grant.IsUnrestricted || grant.HighestTier(settings.Tenants) is { } highest && definition.Tier <= highest;
    }
}
