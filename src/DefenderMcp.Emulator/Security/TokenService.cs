using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DefenderMcp.Emulator.Security;

/// <summary>Issues the emulator's access tokens and validates them on every API request.</summary>
public sealed class TokenService : IDisposable
{
    /// <summary>Graph's token audience.</summary>
    public const string GraphAudience = "https://graph.microsoft.com";

    /// <summary>The MDE API's token audience.</summary>
    public const string MdeAudience = "https://api.securitycenter.microsoft.com";

    /// <summary>Key Vault's token audience.</summary>
    public const string VaultAudience = "https://vault.azure.net";

    // The key is shared by the emulators of a process (see DemoKeys); the key id is this emulator's own, and
    // validation requires it, so one emulator never accepts another's tokens.
    private readonly RSA _key = DemoKeys.Create(DemoKeys.TokenSigning);
    private readonly string _keyId = Guid.NewGuid().ToString("N")[..16];

    /// <summary>Creates the service with the process's signing key.</summary>
    public TokenService() => Federation = new FederatedCredential(_key);

    /// <summary>Federated tokens of the demo external issuer (signed with the same key, under their own key id).</summary>
    public FederatedCredential Federation { get; }

    /// <summary>The audience for a requested scope, or null when the scope is not one we serve.</summary>
    public static string? AudienceForScope(string scope) => scope switch
    {
        // The US government clouds' scopes (defender-api.md §1.1-1.2) are served too, so a GCC, GCC High or DoD
        // configuration can be tried against the emulator; their tokens carry the emulator's one audience per API.
        "https://graph.microsoft.com/.default" or "00000003-0000-0000-c000-000000000000/.default" or "https://graph.microsoft.us/.default" or "https://dod-graph.microsoft.us/.default" => GraphAudience,
        "https://vault.azure.net/.default" => VaultAudience,
        "https://api.securitycenter.microsoft.com/.default" or "https://api.security.microsoft.com/.default" or "https://securitycenter.onmicrosoft.com/windowsatpservice/.default"
            or "https://api-gcc.securitycenter.microsoft.us/.default" or "https://api-gov.securitycenter.microsoft.us/.default" => MdeAudience,
        _ => null,
    };

    // Roles set through the control plane, per client id: tests give an app exactly the roles a case needs.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (IReadOnlyList<string>? Graph, IReadOnlyList<string>? Mde)> _roles = new(StringComparer.Ordinal);

    /// <summary>From now on, tokens of <paramref name="clientId"/> carry these roles (null keeps the app's own).</summary>
    public void SetRoles(string clientId, IReadOnlyList<string>? graph, IReadOnlyList<string>? mde) => _roles[clientId] = (graph, mde);

    /// <summary>Every app gets its own roles back.</summary>
    public void ResetRoles() => _roles.Clear();

    /// <summary>A signed access token for <paramref name="app"/> of <paramref name="tenant"/>.</summary>
    public string Issue(EmulatedTenant tenant, EmulatedApp app, string audience, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(app);
        var set = _roles.TryGetValue(app.ClientId, out var o) ? o : default;
        var roles = audience == GraphAudience ? set.Graph ?? app.GraphRoles : set.Mde ?? app.MdeRoles;
        var claims = new JsonObject
        {
            ["aud"] = audience,
            ["iss"] = $"https://sts.windows.net/{tenant.TenantId}/",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
            ["appid"] = app.ClientId,
            ["azp"] = app.ClientId,
            ["oid"] = DataGuid(app.ClientId),
            ["tid"] = tenant.TenantId,
            ["roles"] = new JsonArray([.. roles.Select(r => (JsonNode)JsonValue.Create(r)!)]),
            ["jti"] = Guid.NewGuid().ToString(),
            ["ver"] = "1.0",
        };
        return JwtCodec.Sign(claims, _key, _keyId);
    }

    /// <summary>Validates a bearer token: signature, lifetime and audience. Returns its claims, or null.</summary>
    public JsonElement? Validate(string token, string audience, DateTimeOffset now)
    {
        var decoded = JwtCodec.Decode(token);
        if (decoded is not { } jwt ||
            !jwt.Header.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String || kid.GetString() != _keyId ||
            !JwtCodec.Verify(jwt.Header.TryGetProperty("alg", out var alg) ? alg.GetString() : null, _key, jwt.SigningInput, jwt.Signature))
        {
            return null;
        }

        var exp = JwtCodec.NumericClaim(jwt.Claims, "exp");
        var nbf = JwtCodec.NumericClaim(jwt.Claims, "nbf");
        var unix = now.ToUnixTimeSeconds();
        if (exp is null || exp < unix || (nbf is { } n && n > unix + 300))
        {
            return null;
        }

        return jwt.Claims.TryGetProperty("aud", out var aud) && aud.GetString() == audience ? jwt.Claims : null;
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    private static string DataGuid(string seed) => new Guid(MD5.HashData(System.Text.Encoding.UTF8.GetBytes("oid" + seed))).ToString();
}
