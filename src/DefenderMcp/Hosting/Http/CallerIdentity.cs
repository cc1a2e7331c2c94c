using System.Security.Claims;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Who is calling over HTTP, as the audit line and the per-caller limits see it: a name (an API key's name, an Entra
/// <c>oid</c>, or <c>anonymous</c>) and how it was established. Never holds the key or token itself.
/// </summary>
/// <param name="Name">The caller's name: key name, Entra object id, or <c>anonymous</c>.</param>
/// <param name="Kind">How the caller was identified: <see cref="ApiKeyKind"/>, <see cref="EntraKind"/> or <see cref="AnonymousKind"/>.</param>
public sealed record CallerIdentity(string Name, string Kind)
{
    /// <summary>Claim that carries the caller's name; every authentication scheme of the HTTP server sets it.</summary>
    public const string NameClaim = "defender_mcp_caller";

    /// <summary>Claim that carries <see cref="Kind"/>.</summary>
    public const string KindClaim = "defender_mcp_caller_kind";

    /// <summary>A caller identified by a named API key.</summary>
    public const string ApiKeyKind = "api_key";

    /// <summary>A caller identified by an Entra ID bearer token (name = <c>oid</c>).</summary>
    public const string EntraKind = "entra";

    /// <summary>A caller on a loopback server started with <c>--allow-anonymous-loopback</c>.</summary>
    public const string AnonymousKind = "anonymous";

    /// <summary>The one identity every anonymous loopback caller shares.</summary>
    public static CallerIdentity Anonymous { get; } = new("anonymous", AnonymousKind);

    /// <summary>
    /// The caller of an authenticated principal, or null (stdio, in-process calls, unauthenticated requests).
    /// A principal without <see cref="NameClaim"/> but with an Entra <c>oid</c> is an Entra caller.
    /// </summary>
    public static CallerIdentity? From(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        if (user.FindFirst(NameClaim)?.Value is { Length: > 0 } name)
        {
            return new CallerIdentity(name, user.FindFirst(KindClaim)?.Value ?? ApiKeyKind);
        }

        var oid = user.FindFirst("oid")?.Value ?? user.FindFirst("http://schemas.microsoft.com/identity/claims/objectidentifier")?.Value;
        return oid is { Length: > 0 } ? new CallerIdentity(oid, EntraKind) : null;
    }

    /// <summary>
    /// An Entra caller's sign-in name for the audit line: <c>preferred_username</c>, else <c>upn</c>, cleaned and
    /// clipped (<see cref="Audit.AuditText"/>); null when the token has neither (an app, say).
    /// </summary>
    public static string? Upn(ClaimsPrincipal? user) =>
        Audit.AuditText.Clean(user?.FindFirst("preferred_username")?.Value) ?? Audit.AuditText.Clean(user?.FindFirst("upn")?.Value);

    /// <summary>An Entra caller's display name (<c>name</c>) for the audit line, cleaned and clipped; null when absent.</summary>
    public static string? DisplayName(ClaimsPrincipal? user) => Audit.AuditText.Clean(user?.FindFirst("name")?.Value);

    /// <summary>
    /// A <c>caller_refused</c> record of this caller on the MCP path. An Entra caller is named by its validated
    /// token's sign-in and display names too, as its calls' own lines name it; never by the token.
    /// </summary>
    public Audit.CallerRefusal Refusal(string reason, ClaimsPrincipal? user, string? tool = null) =>
        new(reason, HttpServerRunner.McpPath, Name, Kind, Tool: tool,
            CallerUpn: Kind == EntraKind ? Upn(user) : null,
            CallerDisplayName: Kind == EntraKind ? DisplayName(user) : null);

    /// <summary>
    /// A principal for <paramref name="caller"/> authenticated by <paramref name="scheme"/>. It carries a
    /// <see cref="ClaimTypes.NameIdentifier"/> too: the SDK binds each MCP session to it, so one caller cannot use
    /// another caller's session id.
    /// </summary>
    public static ClaimsPrincipal ToPrincipal(CallerIdentity caller, string scheme) =>
        new(new ClaimsIdentity(
            [
                new Claim(NameClaim, caller.Name),
                new Claim(KindClaim, caller.Kind),
                new Claim(ClaimTypes.NameIdentifier, caller.Kind + ":" + caller.Name),
                new Claim(ClaimTypes.Name, caller.Name),
            ],
            scheme));
}
