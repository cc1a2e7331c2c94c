using DefenderMcp.Audit;
using DefenderMcp.Configuration;
using DefenderMcp.Hunting;
using DefenderMcp.Tenancy;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Tools.Infrastructure;

/// <summary>What every tool needs: configuration, tenant clients, the audit trail, the result cache, logging and time.</summary>
public sealed record ToolServices(
    ServerSettings Settings,
    TenantRegistry Tenants,
    AuditLog Audit,
    HuntingResultCache ResultCache,
    SavedHuntLibrary Hunts,
    HuntScheduler Scheduler,
    Safety.ActionBudget Budget,
    Safety.ConfirmationTokens Tokens,
    ILoggerFactory LoggerFactory,
    TimeProvider Time);
