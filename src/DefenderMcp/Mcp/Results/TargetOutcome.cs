using System.Text.Json.Serialization;

namespace DefenderMcp.Mcp.Results;

/// <summary>One device of a bulk action: its request in a preview, or once sent, its action or its own error.</summary>
public sealed record TargetOutcome
{
    /// <summary>The device.</summary>
    public required WriteTarget Target { get; init; }

    /// <summary>Previews only: the exact request for this device.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RequestPreview? Request { get; init; }

    /// <summary>Previews only: this device's isolation or app restriction now, as in <see cref="WriteResult.TargetState"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TargetState { get; init; }

    /// <summary>Once sent: true when Defender accepted this device's action.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Done { get; init; }

    /// <summary>The action's id, to follow with get_machine_action (or undo with undo_action).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ActionId { get; init; }

    /// <summary>The action's status (Pending ...).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    /// <summary>Why this device's action failed; the other devices were still sent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TargetError? Error { get; init; }
}
