using System.Text.Json.Nodes;

namespace DefenderMcp.Mcp;

/// <summary>The shape of a write tool's result: a preview (dry run or token), or what Defender answered.</summary>
public sealed record WriteResultOutput(
    string Tenant,
    bool? DryRun,
    bool? Done,
    string? Status,
    string Action,
    WriteTargetOutput Target,
    string? Comment,
    JsonObject? Request,
    JsonObject? Response,
    string? ConfirmationToken,
    string? ExpiresAt,
    string? Message);
