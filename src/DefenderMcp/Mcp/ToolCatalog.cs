using DefenderMcp.Areas.Alerts;
using DefenderMcp.Areas.DetectionRules;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Areas.Entities;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Areas.Identity;
using DefenderMcp.Areas.Incidents;
using DefenderMcp.Areas.Indicators;
using DefenderMcp.Areas.LiveResponse;
using DefenderMcp.Areas.MachineActions;
using DefenderMcp.Areas.SavedHunts;
using DefenderMcp.Areas.Status;
using DefenderMcp.Areas.Vulnerabilities;
using DefenderMcp.Configuration;

namespace DefenderMcp.Mcp;

/// <summary>Every tool the server can expose, and which of them a configuration lists.</summary>
public static class ToolCatalog
{
    /// <summary>
    /// Every area's tools under its toolset name. On a read-only server the read areas are the default; the areas
    /// that act (machine actions, indicators, detection rules) are listed when named, or by default once a tenant's
    /// tier allows writes, because raising the tier is how an operator asks for them.
    /// </summary>
    public static IReadOnlyList<Toolset> Toolsets { get; } =
    [
        new("hunting", () => HuntingArea.Tools, readArea: true),
        new("saved_hunts", () => SavedHuntsArea.Tools, readArea: true),
        new("incidents", () => IncidentsArea.Tools, readArea: true),
        new("alerts", () => AlertsArea.Tools, readArea: true),
        new("devices", () => DevicesArea.Tools, readArea: true),
        new("entities", () => EntitiesArea.Tools, readArea: false),
        new("vulnerabilities", () => VulnerabilitiesArea.Tools, readArea: false),
        new("machine_actions", () => MachineActionsArea.Tools, readArea: false),
        new("indicators", () => IndicatorsArea.Tools, readArea: false),
        new("detection_rules", () => DetectionRulesArea.Tools, readArea: false),
        new("identity", () => IdentityArea.Tools, readArea: false),
        new("live_response", () => LiveResponseArea.Tools, readArea: false),
        new("status", () => StatusArea.Tools, readArea: true),
    ];

    /// <summary>The toolset names, in catalog order.</summary>
    public static IReadOnlyList<string> ToolsetNames { get; } = [.. Toolsets.Select(t => t.Name)];

    /// <summary>Every tool, area by area; each area's registration file lists its own. Built at first use.</summary>
    public static IReadOnlyList<ToolEntry> Entries => AllEntries.Value;

    private static readonly Lazy<IReadOnlyList<ToolEntry>> AllEntries = new(() => [.. Toolsets.SelectMany(t => t.Tools)]);

    /// <summary>
    /// The tools to list: those of the selected toolsets (<see cref="ServerSettings.Toolsets"/>, else the default) at
    /// or below the highest tier any tenant allows. Calls are still checked per tenant, so a multi-tenant server
    /// refuses a write on a read-only tenant even though the tool is listed.
    /// </summary>
    public static IEnumerable<ToolEntry> Visible(ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var highest = settings.Tenants.Count == 0 ? ActionTier.Read : settings.Tenants.Max(t => t.Policy.Actions);
        var selected = ListedToolsets(settings);
        return Toolsets.Where(t => selected.Contains(t.Name)).SelectMany(t => t.Tools).Where(e => e.Definition.Tier <= highest);
    }

    /// <summary>The toolsets a server lists: those named, else the default for the highest tier any tenant allows.</summary>
    public static IReadOnlySet<string> ListedToolsets(ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Toolsets ?? DefaultToolsets(settings.Tenants.Count == 0 ? ActionTier.Read : settings.Tenants.Max(t => t.Policy.Actions));
    }

    /// <summary>The toolsets listed when none are named: the read areas on a read-only server, else every area.</summary>
    public static IReadOnlySet<string> DefaultToolsets(ActionTier highestTier) =>
        Toolsets.Where(t => t.ReadArea || highestTier > ActionTier.Read).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

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
