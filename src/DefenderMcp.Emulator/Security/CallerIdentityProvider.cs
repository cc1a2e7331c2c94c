using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace DefenderMcp.Emulator.Security;

/// <summary>
/// Entra ID as the identity provider of the server's callers (HTTP transport): per tenant an OpenID configuration
/// and a JWKS, and access tokens for the server's own API. Like Entra, the signing keys are shared by all tenants
/// and rotate: a rotation publishes a new current key, and the previous ones stay published until retired, so a
/// server that caches the JWKS must refresh it when it meets an unknown key id.
/// </summary>
public sealed class CallerIdentityProvider : IDisposable
{
    private const string ForeignKeyName = "caller-foreign";

    /// <summary>The keys a new provider needs at once (prepared with the others at start, in parallel).</summary>
    public static IReadOnlyList<string> StartKeyNames { get; } = [ForeignKeyName, SigningKeyName(1)];
    private readonly Lock _gate = new();
    private readonly List<(string KeyId, RSA Key)> _published = [];
    private readonly RSA _foreign = DemoKeys.Create(ForeignKeyName);
    private readonly string _foreignKeyId = "foreign-" + Guid.NewGuid().ToString("N")[..12];
    private int _generation;

    /// <summary>Creates the provider with one published key.</summary>
    public CallerIdentityProvider() => Rotate(retirePrevious: false);

    /// <summary>The key ids the JWKS publishes now, the current signing key last.</summary>
    public IReadOnlyList<string> PublishedKeyIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _published.Select(k => k.KeyId)];
            }
        }
    }

    /// <summary>The issuer of a tenant's tokens on this emulator: <c>{base}{tid}/v2.0</c>, as Entra's v2 issuer.</summary>
    public static string IssuerFor(Uri baseUri, EmulatedTenant tenant) => $"{baseUri.GetLeftPart(UriPartial.Authority)}/{tenant.TenantId}/v2.0";

    /// <summary>Publishes a new current signing key; <paramref name="retirePrevious"/> removes the older ones from the JWKS.</summary>
    public string Rotate(bool retirePrevious)
    {
        lock (_gate)
        {
            _generation++;
            if (retirePrevious)
            {
                foreach (var (_, key) in _published)
                {
                    key.Dispose();
                }

                _published.Clear();
            }

            // Key material is cached per process by generation (DemoKeys); the key id is this emulator's own.
            var keyId = $"caller-{_generation}-{Guid.NewGuid().ToString("N")[..12]}";
            _published.Add((keyId, DemoKeys.Create(SigningKeyName(_generation))));
            return keyId;
        }
    }

    private static string SigningKeyName(int generation) => $"caller-signing-{generation}";

    /// <summary>The tenant's OpenID configuration document, with endpoints on <paramref name="baseUri"/>.</summary>
    public static JsonObject OpenIdConfiguration(Uri baseUri, EmulatedTenant tenant)
    {
        var root = $"{baseUri.GetLeftPart(UriPartial.Authority)}/{tenant.TenantId}";
        return new JsonObject
        {
            ["issuer"] = IssuerFor(baseUri, tenant),
            ["authorization_endpoint"] = $"{root}/oauth2/v2.0/authorize",
            ["token_endpoint"] = $"{root}/oauth2/v2.0/token",
            ["jwks_uri"] = $"{root}/discovery/v2.0/keys",
            ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
            ["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access"),
            ["claims_supported"] = new JsonArray("sub", "iss", "aud", "exp", "iat", "nbf", "oid", "tid", "roles", "groups", "name", "preferred_username"),
            ["tenant_region_scope"] = "EU",
        };
    }

    /// <summary>The JWKS: the public parts of the published keys.</summary>
    public JsonObject Jwks()
    {
        lock (_gate)
        {
            var keys = new JsonArray();
            foreach (var (keyId, key) in _published)
            {
                var parameters = key.ExportParameters(includePrivateParameters: false);
                keys.Add(new JsonObject
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = keyId,
                    ["n"] = Base64Url.Encode(parameters.Modulus),
                    ["e"] = Base64Url.Encode(parameters.Exponent),
                });
            }

            return new JsonObject { ["keys"] = keys };
        }
    }

    /// <summary>Mints an access token for the server's API as <paramref name="request"/> describes.</summary>
    public CallerTokenResult Mint(CallerTokenRequest request, EmulatedTenant tenant, Uri baseUri, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var issuer = request.Issuer ?? IssuerFor(baseUri, tenant);
        var oid = request.Oid ?? OidFor(tenant.TenantId, request.Name);
        var expires = now.AddSeconds(request.LifetimeSeconds);

        // An expired token was issued an hour before it expired, as a real one would have been.
        var issued = request.LifetimeSeconds < 0 ? expires.AddHours(-1) : now;
        var claims = new JsonObject
        {
            ["aud"] = request.Audience,
            ["iss"] = issuer,
            ["iat"] = issued.ToUnixTimeSeconds(),
            ["nbf"] = issued.AddSeconds(request.NotBeforeSeconds).ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["azp"] = "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
            ["name"] = request.Name,
            ["preferred_username"] = request.Name.Replace(' ', '.').ToLowerInvariant() + "@" + tenant.Domain,
            ["oid"] = oid,
            ["sub"] = OidFor("sub:" + tenant.TenantId, oid),
            ["tid"] = tenant.TenantId,
            ["uti"] = Base64Url.Encode(Guid.NewGuid().ToByteArray()),
            ["ver"] = "2.0",
        };
        if (request.IdToken)
        {
            // An ID token names no client app (it is the app's own sign-in) and carries no scopes.
            claims.Remove("azp");
            claims["nonce"] = Base64Url.Encode(Guid.NewGuid().ToByteArray());
        }
        else if (request.Scopes is { Length: > 0 } scopes)
        {
            claims["scp"] = scopes;
        }

        if (request.Roles.Count > 0)
        {
            claims["roles"] = new JsonArray([.. request.Roles.Select(r => (JsonNode)JsonValue.Create(r))]);
        }

        if (request.Groups.Count > 0)
        {
            claims["groups"] = new JsonArray([.. request.Groups.Select(g => (JsonNode)JsonValue.Create(g))]);
        }

        switch (request.Signing)
        {
            case CallerSigning.None:
                var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "none" };
                var token = Base64Url.Encode(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(claims.ToJsonString())) + ".";
                return new CallerTokenResult(token, issuer, null, oid, tenant.TenantId);
            case CallerSigning.Foreign:
                return new CallerTokenResult(JwtCodec.Sign(claims, _foreign, _foreignKeyId), issuer, _foreignKeyId, oid, tenant.TenantId);
            case CallerSigning.Published:
                lock (_gate)
                {
                    var (keyId, key) = _published[^1];
                    return new CallerTokenResult(JwtCodec.Sign(claims, key, keyId), issuer, keyId, oid, tenant.TenantId);
                }

            default:
                throw new ArgumentException("Signing must be published, none or foreign.", nameof(request));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var (_, key) in _published)
            {
                key.Dispose();
            }

            _published.Clear();
        }

        _foreign.Dispose();
    }

    /// <summary>The oid minted for <paramref name="name"/> in a tenant when none is given: stable, so a server can be configured with it first.</summary>
    public static string OidFor(string tenantId, string name) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes("caller-oid:" + tenantId + ":" + name))[..16]).ToString();
}
