namespace DefenderMcp.Emulator.Control;

/// <summary>A fault to inject on matching requests.</summary>
public sealed record FaultSpec
{
    /// <summary>Status to answer with; 0 means "no status fault" (latency only).</summary>
    public int Status { get; init; }

    /// <summary>Retry-After header, in seconds.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Delay before answering (or before proceeding, when <see cref="Status"/> is 0).</summary>
    public int? DelayMs { get; init; }

    /// <summary>How many matching requests it applies to; 0 is unlimited.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Regex matched against path and query.</summary>
    public string? PathPattern { get; init; }

    /// <summary>Tenant key or id the fault applies to.</summary>
    public string? Tenant { get; init; }

    /// <summary>HTTP method the fault applies to.</summary>
    public string? Method { get; init; }

    /// <summary>
    /// <c>malformed</c> or <c>truncated</c> for a broken 200 body; <c>oversized</c> for a body streamed chunked, with no
    /// Content-Length, past every cap of the client (<see cref="OversizedBody"/>); <c>confused</c>, <c>nulls</c>, <c>deep</c>,
    /// <c>huge</c>, <c>loop</c> or <c>envelope</c> for the route's real answer rewritten into a hostile shape (<see cref="ShapeRewriter"/>).
    /// </summary>
    public string? Body { get; init; }

    /// <summary>
    /// Every valid <see cref="Body"/>: the three broken bodies, then <see cref="ShapeRewriter.Modes"/>. The control plane
    /// checks a fault against this list and names it whole when it refuses one, so a new mode is never left out of either.
    /// </summary>
    public static IReadOnlyList<string> BodyModes { get; } = ["malformed", "truncated", "oversized", .. ShapeRewriter.Modes];

    /// <summary>
    /// The error code in the body instead of the status's usual one, e.g. <c>DisabledFeature</c> or
    /// <c>DisallowedOperation</c> with 403: the 403s that are not a missing role.
    /// </summary>
    public string? Code { get; init; }

    /// <summary>The error message in the body; default "Injected fault.".</summary>
    public string? Message { get; init; }

    /// <summary>For writes: perform the action, then answer with <see cref="Status"/> (the "may have acted" case).</summary>
    public bool AfterEffect { get; init; }
}
