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
    /// <summary>Each tool's static definition and how to create it.</summary>
    public static IReadOnlyList<(ToolDefinition Definition, Func<ToolServices, DefenderTool> Create)> Entries { get; } =
    [
        (QueryAdvancedHuntingTool.Spec, s => new QueryAdvancedHuntingTool(s)),
        (GetHuntingResultsTool.Spec, s => new GetHuntingResultsTool(s)),
        (GetHuntingSchemaTool.Spec, s => new GetHuntingSchemaTool(s)),
        (ListSavedHuntsTool.Spec, s => new ListSavedHuntsTool(s)),
        (RunSavedHuntTool.Spec, s => new RunSavedHuntTool(s)),
        (GetHuntResultsTool.Spec, s => new GetHuntResultsTool(s)),
        (ScheduleHuntTool.Spec, s => new ScheduleHuntTool(s)),
        (UnscheduleHuntTool.Spec, s => new UnscheduleHuntTool(s)),
        (ListIncidentsTool.Spec, s => new ListIncidentsTool(s)),
        (GetIncidentTool.Spec, s => new GetIncidentTool(s)),
        (ListAlertsTool.Spec, s => new ListAlertsTool(s)),
        (GetAlertTool.Spec, s => new GetAlertTool(s)),
        (GetServerStatusTool.Spec, s => new GetServerStatusTool(s)),
        (ListDevicesTool.Spec, s => new ListDevicesTool(s)),
        (GetDeviceTool.Spec, s => new GetDeviceTool(s)),
        (ListMachineActionsTool.Spec, s => new ListMachineActionsTool(s)),
        (GetMachineActionTool.Spec, s => new GetMachineActionTool(s)),
        (UpdateIncidentTool.Spec, s => new UpdateIncidentTool(s)),
        (AddIncidentCommentTool.Spec, s => new AddIncidentCommentTool(s)),
        (AddIndicatorTool.Spec, s => new AddIndicatorTool(s)),
        (CancelMachineActionTool.Spec, s => new CancelMachineActionTool(s)),
        (UpdateAlertTool.Spec, s => new UpdateAlertTool(s)),
        (ListIndicatorsTool.Spec, s => new ListIndicatorsTool(s)),
        (ImportIndicatorsTool.Spec, s => new ImportIndicatorsTool(s)),
        (RemoveIndicatorTool.Spec, s => new RemoveIndicatorTool(s)),
        (GetInvestigationPackageUriTool.Spec, s => new GetInvestigationPackageUriTool(s)),
        (ListDetectionRulesTool.Spec, s => new ListDetectionRulesTool(s)),
        (GetDetectionRuleTool.Spec, s => new GetDetectionRuleTool(s)),
        (CreateDetectionRuleTool.Spec, s => new CreateDetectionRuleTool(s)),
        (UpdateDetectionRuleTool.Spec, s => new UpdateDetectionRuleTool(s)),
        (DeleteDetectionRuleTool.Spec, s => new DeleteDetectionRuleTool(s)),
        .. MachineActionSpec.All.Select(spec => (MachineActionTool.Define(spec), (Func<ToolServices, DefenderTool>)(s => new MachineActionTool(s, spec)))),
    ];

    /// <summary>
    /// The tools to list: those at or below the highest tier any tenant allows. Calls are still checked per tenant,
    /// so a multi-tenant server refuses a write on a read-only tenant even though the tool is listed.
    /// </summary>
    public static IEnumerable<(ToolDefinition Definition, Func<ToolServices, DefenderTool> Create)> Visible(ServerSettings settings)
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
