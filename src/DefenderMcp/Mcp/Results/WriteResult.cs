using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace DefenderMcp.Mcp.Results;

/// <summary>
/// What every write tool returns, and the type its output schema is made from. Three shapes: a preview (<c>dry_run</c>,
/// or <c>status: confirmation_required</c> with a token) carrying the exact <c>request</c>; or, once sent, <c>done</c>
/// with what Defender now reports about the write, typed and snake_case, never the raw upstream body. Members that do
/// not apply to a shape are left out. A tool that reports more once sent (live response) derives its own result.
/// </summary>
public record WriteResult
{
    /// <summary>The tenant key.</summary>
    public required string Tenant { get; init; }

    /// <summary>True for a dry run (nothing sent); false for a token preview.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? DryRun { get; init; }

    /// <summary>True once Defender accepted the write.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Done { get; init; }

    /// <summary>What was (or would be) done, in words, e.g. "Isolate a device (Full)".</summary>
    public required string Action { get; init; }

    /// <summary>The target.</summary>
    public required WriteTarget Target { get; init; }

    /// <summary>The comment sent with the write, if it has one.</summary>
    public string? Comment { get; init; }

    /// <summary>Previews only: the exact request.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RequestPreview? Request { get; init; }

    /// <summary>
    /// Previews of isolate, release, restrict and remove restriction: the device's isolation or app restriction now
    /// (since when, by whom, which action), or that it could not be read.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TargetState { get; init; }

    /// <summary><c>confirmation_required</c> for a token preview; for a sent machine action, its status (Pending ...).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    /// <summary>Token previews: the single-use token to call again with.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ConfirmationToken { get; init; }

    /// <summary>Token previews: when the token expires (ISO 8601).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExpiresAt { get; init; }

    /// <summary>Token previews: what to do next.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    /// <summary>Machine actions: the action's id, to follow with get_machine_action.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ActionId { get; init; }

    /// <summary>Machine actions: the type Defender recorded (Isolate, RunAntiVirusScan ...).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    /// <summary>Machine actions: when it was requested.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? RequestedAt { get; init; }

    /// <summary>Updates: each changed field (by its parameter name) with the value Defender now reports.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, JsonNode?>? Changes { get; init; }

    /// <summary>add_indicator: the stored indicator.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IndicatorResult? Indicator { get; init; }

    /// <summary>import_indicators: the outcome of each indicator.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ImportedIndicatorResult>? Indicators { get; init; }

    /// <summary>Deletes: the ids removed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? DeletedIds { get; init; }

    /// <summary>create_detection_rule: the stored rule.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DetectionRuleResult? Rule { get; init; }

    /// <summary>The id the audit line records as <c>action_id</c>: what the write created or acted through.</summary>
    [JsonIgnore]
    public string? AuditId => ActionId ?? Indicator?.Id ?? Rule?.Id;
}
