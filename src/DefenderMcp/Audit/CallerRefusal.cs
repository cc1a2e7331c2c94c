namespace DefenderMcp.Audit;

/// <summary>
/// One refused caller, as the <c>caller_refused</c> line records it. Never holds the key or token.
/// </summary>
/// <param name="Reason">One of <see cref="CallerRefusals"/>.</param>
/// <param name="Path">The request path (cleaned by the audit).</param>
/// <param name="CallerName">The caller's name (key name or Entra <c>oid</c>) when it is known; null for an unknown key or an invalid token.</param>
/// <param name="CallerKind">How the caller was identified, when it is known.</param>
/// <param name="Remote">The remote address, the source of a refusal whose caller is unknown.</param>
/// <param name="Tool">The tool the caller asked for, when the refusal is a tool call's.</param>
/// <param name="CallerUpn">An Entra caller's sign-in name from its validated token, as on its calls' own lines.</param>
/// <param name="CallerDisplayName">An Entra caller's display name from its validated token, as on its calls' own lines.</param>
public sealed record CallerRefusal(string Reason, string Path, string? CallerName = null, string? CallerKind = null, string? Remote = null, string? Tool = null, string? CallerUpn = null, string? CallerDisplayName = null)
{
    /// <summary>Who the refusal is counted against: the caller when known, else its remote address.</summary>
    public string Source => CallerName is not null ? $"{CallerKind}:{CallerName}" : "remote:" + (Remote ?? "unknown");
}
