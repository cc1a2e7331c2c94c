using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DefenderMcp.Emulator.Security;

/// <summary>
/// Workload identity federation: every emulated app trusts one external issuer and subject, as an app with a
/// federated identity credential for a Kubernetes service account would. The emulator also plays that issuer
/// (<c>POST /_emulator/federated-token</c>), so a client can be tested with <c>AZURE_FEDERATED_TOKEN_FILE</c>.
/// </summary>
public sealed class FederatedCredential(RSA key)
{
    /// <summary>The trusted issuer (a fixed demo value).</summary>
    public const string Issuer = "https://oidc.defender-mcp-emulator.invalid/";

    /// <summary>The trusted subject: a service account.</summary>
    public const string Subject = "system:serviceaccount:defender:defender-mcp";

    /// <summary>The audience Entra requires on federated tokens.</summary>
    public const string Audience = "api://AzureADTokenExchange";

    private readonly string _keyId = "fed-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A token as the external issuer would project it into a pod.</summary>
    public string Issue(DateTimeOffset now, TimeSpan lifetime, string subject = Subject, string audience = Audience) =>
        JwtCodec.Sign(
            new JsonObject
            {
                ["iss"] = Issuer,
                ["sub"] = subject,
                ["aud"] = new JsonArray(audience),
                ["iat"] = now.ToUnixTimeSeconds(),
                ["nbf"] = now.ToUnixTimeSeconds(),
                ["exp"] = now.Add(lifetime).ToUnixTimeSeconds(),
                ["jti"] = Guid.NewGuid().ToString(),
            },
            key,
            _keyId);

    /// <summary>True when <paramref name="assertion"/> claims to come from the federated issuer.</summary>
    public static bool IsFederated(string assertion) =>
        JwtCodec.Decode(assertion) is { } jwt && jwt.Claims.TryGetProperty("iss", out var iss) && iss.ValueKind == JsonValueKind.String && iss.GetString() == Issuer;

    /// <summary>Null when the federated assertion is valid, else an (AADSTS code, reason) pair.</summary>
    public (int Code, string Reason)? Validate(string assertion, DateTimeOffset now)
    {
        if (JwtCodec.Decode(assertion) is not { } jwt ||
            !jwt.Header.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String || kid.GetString() != _keyId ||
            !JwtCodec.Verify(jwt.Header.TryGetProperty("alg", out var alg) ? alg.GetString() : null, key, jwt.SigningInput, jwt.Signature))
        {
            return (700027, "Client assertion failed signature validation: the key is not one the federated issuer publishes.");
        }

        var audiences = jwt.Claims.TryGetProperty("aud", out var aud)
            ? aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString() : null).ToList() : [aud.ValueKind == JsonValueKind.String ? aud.GetString() : null]
            : [];
        if (!audiences.Contains(Audience))
        {
            return (700212, "No matching federated identity record found for presented assertion audience 'api://AzureADTokenExchange'.");
        }

        if (!jwt.Claims.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String || sub.GetString() != Subject)
        {
            return (70021, "No matching federated identity record found for presented assertion. Check the issuer and subject of the federated credential.");
        }

        var exp = JwtCodec.NumericClaim(jwt.Claims, "exp");
        var nbf = JwtCodec.NumericClaim(jwt.Claims, "nbf");
        var unix = now.ToUnixTimeSeconds();
        return exp is null || exp < unix - 300 ? (700024, "Client assertion is not within its valid time range: it has expired.")
            : nbf is { } n && n > unix + 300 ? (700024, "Client assertion is not within its valid time range: it is not yet valid.")
            : null;
    }
}
