using DefenderMcp.Areas.Hunting;
using DefenderMcp.Areas.SavedHunts;
using DefenderMcp.Audit;
using DefenderMcp.Configuration;
using DefenderMcp.Policy;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Mcp;

/// <summary>What every tool needs: configuration, tenant clients, the audit trail (and its coalesced caller refusals), the result cache, logging and time.</summary>
public sealed record ToolServices(
    ServerSettings Settings,
    TenantRegistry Tenants,
    AuditLog Audit,
    HuntingResultCache ResultCache,
    SavedHuntLibrary Hunts,
    HuntScheduler Scheduler,
    Policy.ActionBudget Budget,
    Policy.ConfirmationTokens Tokens,
    ILoggerFactory LoggerFactory,
    TimeProvider Time,
    CallerRefusalAudit Refusals);
