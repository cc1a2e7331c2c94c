namespace DefenderMcp.Policy;

/// <summary>
/// Who makes an MCP request over HTTP, as the caller policy sees it. It never holds the key or token. A call
/// without a caller (stdio, <c>defender-mcp call</c>) is the operator's, and the operator has the full tenant policy.
/// </summary>
/// <param name="Name">The audit name: the API key's name or the Entra <c>oid</c>.</param>
/// <param name="Kind">How the caller was identified.</param>
/// <param name="Roles">Entra app roles of the server's app assigned to the caller (<c>roles</c>).</param>
/// <param name="Groups">Entra group object ids of the caller (<c>groups</c>).</param>
public sealed record CallerContext(string Name, CallerKind Kind, IReadOnlyList<string> Roles, IReadOnlyList<string> Groups)
{
    /// <summary>An API key caller.</summary>
    public static CallerContext ApiKey(string keyName) => new(keyName, CallerKind.ApiKey, [], []);

    /// <summary>An Entra caller.</summary>
    public static CallerContext Entra(string oid, IReadOnlyList<string> roles, IReadOnlyList<string> groups) => new(oid, CallerKind.Entra, roles, groups);
}
