using System.Globalization;
using DefenderMcp.Configuration;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Entra ID caller authentication (<c>DEFENDER_MCP_ENTRA_*</c>): which tenant's users and apps may call, with tokens
/// for which audience. The tenant here is the callers' tenant (the team's), not a Defender tenant.
/// </summary>
public sealed record EntraCallerOptions
{
    /// <summary>The public Entra authority host.</summary>
    public const string PublicAuthorityHost = "https://login.microsoftonline.com";

    /// <summary>The callers' tenant id (a GUID).</summary>
    public required string TenantId { get; init; }

    /// <summary>Accepted <c>aud</c> values: the server app's client id and/or its application ID URI.</summary>
    public required IReadOnlyList<string> Audiences { get; init; }

    /// <summary>The authority (issuer) URL; by default <c>https://login.microsoftonline.com/{tenant}/v2.0</c>. Overridden for the emulator.</summary>
    public required Uri Authority { get; init; }

    /// <summary>A PEM certificate trusted (besides the system store) for the authority's TLS, e.g. the emulator's.</summary>
    public string? TrustedCertificatePemPath { get; init; }

    /// <summary>Tolerated clock difference on <c>exp</c> and <c>nbf</c> (default 60 s).</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The shortest time between two JWKS refreshes caused by tokens naming an unknown key (default 5 minutes), so
    /// forged key ids cannot make the server hammer the authority.
    /// </summary>
    public TimeSpan KeyRefreshInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Scopes advertised in the protected resource metadata, e.g. <c>api://defender-mcp/access_as_user</c>; by default <c>{first audience}/.default</c>.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The public URL of the MCP endpoint behind a proxy; null derives it from each request.</summary>
    public Uri? PublicResource { get; init; }

    /// <summary>True when the authority is Entra's public one (then v1 issuer <c>sts.windows.net</c> tokens are accepted too).</summary>
    public bool IsPublicAuthority => Authority.GetLeftPart(UriPartial.Authority) == PublicAuthorityHost;

    /// <summary>Accepted <c>iss</c> values.</summary>
    public IReadOnlyList<string> Issuers =>
        IsPublicAuthority ? [Authority.ToString().TrimEnd('/'), $"https://sts.windows.net/{TenantId}/"] : [Authority.ToString().TrimEnd('/')];

    /// <summary>The OpenID configuration document of <see cref="Authority"/>.</summary>
    public Uri MetadataAddress => new(Authority.ToString().TrimEnd('/') + "/.well-known/openid-configuration");

    /// <summary>Reads the variables; null when Entra is not configured. Adds one problem per bad value.</summary>
    public static EntraCallerOptions? FromEnvironment(EnvironmentSource environment, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(problems);
        var tenant = environment.Get("DEFENDER_MCP_ENTRA_TENANT_ID");
        var audience = environment.Get("DEFENDER_MCP_ENTRA_AUDIENCE");
        if (tenant is null && audience is null)
        {
            return null;
        }

        var count = problems.Count;
        if (tenant is null || !Guid.TryParseExact(tenant, "D", out _))
        {
            problems.Add("DEFENDER_MCP_ENTRA_TENANT_ID: the callers' tenant id is required as a GUID when Entra callers are enabled");
        }

        var audiences = Split(audience);
        if (audiences.Count == 0 || audiences.Any(a => a.Length > 256))
        {
            problems.Add("DEFENDER_MCP_ENTRA_AUDIENCE: the server app's client id and/or application ID URI (comma-separated) is required");
        }

        Uri? authority = new($"{PublicAuthorityHost}/{tenant}/v2.0");
        if (environment.Get("DEFENDER_MCP_ENTRA_AUTHORITY") is { } custom &&
            (!Uri.TryCreate(custom, UriKind.Absolute, out authority) || authority.Scheme != Uri.UriSchemeHttps || HasExtras(authority, custom)))
        {
            // The value is never echoed: it may hold a password in user:password@.
            problems.Add("DEFENDER_MCP_ENTRA_AUTHORITY: must be an https URL without credentials, query or fragment, such as https://login.microsoftonline.com/{tenant}/v2.0");
        }

        var skew = TimeSpan.FromSeconds(60);
        if (environment.Get("DEFENDER_MCP_ENTRA_CLOCK_SKEW_SECONDS") is { } skewText)
        {
            if (int.TryParse(skewText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 300)
            {
                skew = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                problems.Add("DEFENDER_MCP_ENTRA_CLOCK_SKEW_SECONDS: expected a whole number from 0 to 300");
            }
        }

        var refresh = TimeSpan.FromMinutes(5);
        if (environment.Get("DEFENDER_MCP_ENTRA_KEY_REFRESH_SECONDS") is { } refreshText)
        {
            if (int.TryParse(refreshText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 86_400)
            {
                refresh = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                problems.Add("DEFENDER_MCP_ENTRA_KEY_REFRESH_SECONDS: expected a whole number from 1 to 86400");
            }
        }

        var trust = environment.Get("DEFENDER_MCP_ENTRA_TLS_TRUST_CERT");
        if (trust is not null && TrustedCertificateFile.Check(trust, "DEFENDER_MCP_ENTRA_TLS_TRUST_CERT") is { } trustProblem)
        {
            problems.Add(trustProblem);
        }

        Uri? resource = null;
        if (environment.Get("DEFENDER_MCP_PUBLIC_URL") is { } publicUrl &&
            (!Uri.TryCreate(publicUrl, UriKind.Absolute, out resource) || resource.Scheme is not ("https" or "http") || HasExtras(resource, publicUrl)))
        {
            // It is published unauthenticated (every 401 and the protected-resource metadata), and RFC 9728 forbids a
            // fragment in "resource"; the value is never echoed, as it may hold a password.
            problems.Add("DEFENDER_MCP_PUBLIC_URL: must be the absolute URL clients use for /mcp, without credentials, query or fragment, e.g. https://mcp.example.com/mcp");
        }

        if (problems.Count > count)
        {
            return null;
        }

        var scopes = Split(environment.Get("DEFENDER_MCP_ENTRA_SCOPES"));
        return new EntraCallerOptions
        {
            TenantId = tenant!,
            Audiences = audiences,
            Authority = authority!,
            TrustedCertificatePemPath = trust,
            ClockSkew = skew,
            KeyRefreshInterval = refresh,
            Scopes = scopes.Count > 0 ? scopes : [DefaultScope(audiences[0])],
            PublicResource = resource,
        };
    }

    // Entra names an app by its client id in a scope ("{client id}/.default") whatever its application ID URI is;
    // "api://{client id}" is a resource only when the app's ID URI was set to exactly that, so it is not assumed.
    private static string DefaultScope(string audience) => audience.TrimEnd('/') + "/.default";

    // User info, a query or a fragment; the raw text too, since Uri may drop an empty "?", "#" or "@".
    private static bool HasExtras(Uri uri, string text)
    {
        var rest = text.AsSpan(text.IndexOf(':', StringComparison.Ordinal) + 1).TrimStart('/');
        var hostEnd = rest.IndexOfAny('/', '?', '#');
        return uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0 ||
            rest.IndexOfAny('?', '#') >= 0 || (hostEnd < 0 ? rest : rest[..hostEnd]).Contains('@');
    }

    private static List<string> Split(string? value) =>
        value is null ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
