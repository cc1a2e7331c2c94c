using System.Text.Json.Serialization;

namespace DefenderMcp.Mcp.Results;

/// <summary>
/// What a device action returns: the write's result, and when it was called with <c>devices</c>, one outcome per device
/// and the devices refused before confirmation. Its own type, so only the device actions' output schemas carry the
/// extra members.
/// </summary>
public sealed record BulkWriteResult : WriteResult
{
    /// <summary>Bulk calls: each device's request (previews) or outcome (once sent), in the order given.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TargetOutcome>? Targets { get; init; }

    /// <summary>Bulk calls: devices left out before confirmation (protected, unknown, repeated), with why; never sent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RefusedTarget>? Refused { get; init; }
}
