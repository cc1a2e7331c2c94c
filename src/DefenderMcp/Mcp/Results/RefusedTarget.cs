namespace DefenderMcp.Mcp.Results;

/// <summary>A target left out of a bulk action before confirmation; nothing was sent for it.</summary>
/// <param name="Target">What the caller named (or the device's name once resolved).</param>
/// <param name="Id">The device id, when it resolved.</param>
/// <param name="Reason">Why it was left out.</param>
public sealed record RefusedTarget(string Target, string? Id, string Reason);
