using System.Text.Json.Nodes;

namespace DefenderMcp.Audit;

/// <summary>One audited event. Holds validated parameters only: never tokens, secrets, headers or upstream bodies.</summary>
public sealed record AuditRecord
{
    /// <summary>Event name, e.g. <c>tool_call</c> or <c>server_start</c>.</summary>
    public required string Event { get; init; }

    /// <summary>The tool name, when the event is a tool call.</summary>
    public string? Tool { get; init; }

    /// <summary>The tenant keys the call reached (from our configuration, never from upstream).</summary>
    public IReadOnlyList<string> Tenants { get; init; } = [];

    /// <summary>The validated parameters (KQL text included).</summary>
    public JsonObject? Parameters { get; init; }

    /// <summary>Wall time of the call.</summary>
    public long? DurationMs { get; init; }

    /// <summary><c>success</c>, <c>error</c>, <c>partial</c>, <c>cancelled</c>, <c>preview</c> ...</summary>
    public string? Outcome { get; init; }

    /// <summary>The error code of DESIGN.md section 8 when the call failed.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Counts such as rows or items returned.</summary>
    public IReadOnlyDictionary<string, long>? Counts { get; init; }

    /// <summary>For writes: elicitation_accepted, elicitation_declined, elicitation_unavailable, elicitation_unanswered, token, none, dry_run.</summary>
    public string? Confirmation { get; init; }

    /// <summary>For writes: the policy decision (allowed, or why it was denied).</summary>
    public string? PolicyDecision { get; init; }

    /// <summary>For writes: the resulting action or object id.</summary>
    public string? ActionId { get; init; }

    /// <summary>The MCP client's declared name.</summary>
    public string? ClientName { get; init; }

    /// <summary>The MCP client's declared version.</summary>
    public string? ClientVersion { get; init; }

    /// <summary>The HTTP caller's name (API key name or Entra <c>oid</c>), never its key or token; null over stdio.</summary>
    public string? CallerName { get; init; }

    /// <summary>How the HTTP caller was identified: <c>api_key</c>, <c>entra</c> or <c>anonymous</c>.</summary>
    public string? CallerKind { get; init; }

    /// <summary>An Entra caller's sign-in name (<c>preferred_username</c> or <c>upn</c>), cleaned (<see cref="AuditText"/>); never the token.</summary>
    public string? CallerUpn { get; init; }

    /// <summary>An Entra caller's display name (<c>name</c>), cleaned (<see cref="AuditText"/>).</summary>
    public string? CallerDisplayName { get; init; }

    /// <summary>Why a caller was refused (<see cref="CallerRefusals"/>), on a <c>caller_refused</c> line.</summary>
    public string? Reason { get; init; }

    /// <summary>The HTTP request path a refusal happened on, cleaned (<see cref="AuditText"/>).</summary>
    public string? Path { get; init; }

    /// <summary>The remote address of a refused request whose caller is unknown (an unknown key, an invalid token).</summary>
    public string? Remote { get; init; }

    /// <summary>Free-form notes (warnings at start-up, demo mode).</summary>
    public IReadOnlyList<string>? Notes { get; init; }
}
