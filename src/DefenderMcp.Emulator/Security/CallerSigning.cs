namespace DefenderMcp.Emulator.Security;

/// <summary>How a minted caller token is signed (<see cref="CallerTokenRequest.Signing"/>).</summary>
public static class CallerSigning
{
    /// <summary>With the current key of the tenant's JWKS: a token a correct server accepts.</summary>
    public const string Published = "published";

    /// <summary>Not signed at all (<c>alg: none</c>, empty signature).</summary>
    public const string None = "none";

    /// <summary>With a key that no JWKS publishes, under a key id of its own.</summary>
    public const string Foreign = "foreign";

    /// <summary>True for a known mode.</summary>
    public static bool IsKnown(string? mode) => mode is Published or None or Foreign;
}
