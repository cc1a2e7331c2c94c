using System.Globalization;
using System.Security.Claims;
using DefenderMcp.Audit;
using DefenderMcp.Hosting.Http;

namespace DefenderMcp.Mcp;

/// <summary>
/// Names the HTTP caller in the comment a write sends to Defender, or in the description of an indicator or a
/// live-response library file (<c>DEFENDER_MCP_COMMENT_CALLER</c>, on by default). Every request of a team server
/// reaches Defender as the server's own app, so without it the portal's action center and an incident's comments could
/// not tell which analyst asked; the audit trail names the caller either way. Stdio,
/// <c>defender-mcp call</c> and anonymous loopback calls have no caller to name, and their comments go as written.
/// </summary>
public static class CommentAttribution
{
    /// <summary>The most characters of a caller's name a comment carries.</summary>
    public const int MaxLabelLength = 128;

    /// <summary>
    /// The name a comment gives for <paramref name="user"/>: an API key's name; an Entra caller's sign-in name, else
    /// display name, else object id; null for no caller or an anonymous one. Cleaned as audit text is (no line breaks
    /// or bidi overrides, at most <see cref="MaxLabelLength"/> characters).
    /// </summary>
    public static string? CallerLabel(ClaimsPrincipal? user)
    {
        var caller = CallerIdentity.From(user);
        return caller?.Kind switch
        {
            CallerIdentity.ApiKeyKind => AuditText.Clean(caller.Name, MaxLabelLength),
            CallerIdentity.EntraKind => CallerIdentity.Upn(user) ?? CallerIdentity.DisplayName(user) ?? AuditText.Clean(caller.Name, MaxLabelLength),
            _ => null,
        };
    }

    /// <summary>What is appended to a comment for <paramref name="label"/>.</summary>
    public static string Suffix(string label) => $" (requested by {label} via DefenderMcp)";

    /// <summary>
    /// The comment (or description, named by <paramref name="name"/> in the refusal) the person or model wrote, with
    /// <paramref name="caller"/> named (none: as written); refused as invalid input, before anything is sent, when both
    /// together pass Defender's <paramref name="maxLength"/> (the written text is never cut).
    /// </summary>
    public static string Given(string comment, string? caller, int maxLength, string name = "comment")
    {
        ArgumentNullException.ThrowIfNull(comment);
        if (caller is not { } label)
        {
            return comment;
        }

        var suffix = Suffix(label);
        if (comment.Length + suffix.Length > maxLength)
        {
            throw ToolException.InvalidInput(string.Create(CultureInfo.InvariantCulture,
                $"'{name}' is {comment.Length} characters; this server adds who asked ('{suffix.Trim()}', {suffix.Length} characters) and Defender keeps at most {maxLength}, so shorten it to {maxLength - suffix.Length} characters or fewer. Nothing was sent."));
        }

        return comment + suffix;
    }

    /// <summary>A comment the server wrote itself (a default), with <paramref name="caller"/> named, its own text cut to fit.</summary>
    public static string Default(string comment, string? caller, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(comment);
        var suffix = caller is { } label ? Suffix(label) : string.Empty;
        var room = Math.Max(0, maxLength - suffix.Length);
        return (comment.Length > room ? comment[..room] : comment) + suffix;
    }
}
