namespace DefenderMcp.Emulator.Security;

/// <summary>
/// What a test asks the emulator's caller identity provider to mint: an Entra access token for our server's own API,
/// as a signed-in analyst's client would present it. The odd fields produce the broken variants a server must refuse.
/// </summary>
public sealed record CallerTokenRequest
{
    /// <summary>The caller's tenant: key, GUID or domain of an emulated tenant.</summary>
    public required string Tenant { get; init; }

    /// <summary>The token's <c>aud</c>: the server's client id or app id URI (anything else for a wrong-audience token).</summary>
    public required string Audience { get; init; }

    /// <summary>The caller's object id; by default one derived from <see cref="Name"/>.</summary>
    public string? Oid { get; init; }

    /// <summary>The caller's display name (<c>name</c>), also used for <c>preferred_username</c>.</summary>
    public string Name { get; init; } = "Demo Analyst";

    /// <summary>App roles of the server's app assigned to the caller (<c>roles</c>).</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Group object ids (<c>groups</c>).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Delegated scopes (<c>scp</c>, space separated), e.g. <c>access_as_user</c>.</summary>
    public string? Scopes { get; init; } = "access_as_user";

    /// <summary>Seconds from now until <c>exp</c>; negative makes an expired token.</summary>
    public int LifetimeSeconds { get; init; } = 3600;

    /// <summary>Seconds from now until <c>nbf</c>; positive makes a token that is not valid yet.</summary>
    public int NotBeforeSeconds { get; init; }

    /// <summary>Replaces the tenant's real issuer (a wrong-issuer token).</summary>
    public string? Issuer { get; init; }

    /// <summary>
    /// An ID token of the server's app instead of an access token: signed and addressed the same way, but with no
    /// <c>azp</c> and no <c>scp</c> (roles stay, as Entra puts assigned roles in ID tokens too), and a <c>nonce</c>.
    /// </summary>
    public bool IdToken { get; init; }

    /// <summary><c>published</c> (default: the current key of the JWKS), <c>none</c> (unsigned, <c>alg: none</c>) or <c>foreign</c> (a key the JWKS never published).</summary>
    public string Signing { get; init; } = CallerSigning.Published;
}
