namespace DefenderMcp.Policy;

/// <summary>How an HTTP caller proved who it is.</summary>
public enum CallerKind
{
    /// <summary>A named API key.</summary>
    ApiKey,

    /// <summary>An Entra ID access token (the caller is its <c>oid</c>).</summary>
    Entra,

    /// <summary>An anonymous caller of a loopback server (<c>--allow-anonymous-loopback</c>).</summary>
    Anonymous,
}
