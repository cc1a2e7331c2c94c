using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace DefenderMcp.Emulator.Security;

/// <summary>
/// Checks a client assertion (private_key_jwt) for real: RS256 or PS256; x5t (SHA-1) or x5t#S256 naming the app's
/// certificate; the signature; aud = the token endpoint; iss = sub = client id; nbf/exp as numbers or numeric strings.
/// </summary>
public static class ClientAssertionValidator
{
    /// <summary>Null when valid, else an (AADSTS code, reason) pair.</summary>
    public static (int Code, string Reason)? Validate(string assertion, string clientId, X509Certificate2 certificate, IReadOnlyCollection<string> audiences, DateTimeOffset now)
    {
        if (JwtCodec.Decode(assertion) is not { } jwt)
        {
            return (50027, "Invalid JWT token: the client assertion is not a well-formed JWT.");
        }

        var alg = jwt.Header.TryGetProperty("alg", out var a) ? a.GetString() : null;
        if (alg is not ("RS256" or "PS256"))
        {
            return (5002738, "Invalid JWT token: the assertion must be signed with RS256 or PS256.");
        }

        var x5t = Str(jwt.Header, "x5t");
        var x5tS256 = Str(jwt.Header, "x5t#S256");
        var matches = (x5t is not null && x5t == Base64Url.Encode(SHA1.HashData(certificate.RawData))) ||
                      (x5tS256 is not null && x5tS256 == Base64Url.Encode(SHA256.HashData(certificate.RawData)));
        if (!matches)
        {
            return (700027, "Client assertion contains an invalid signature: the certificate thumbprint (x5t or x5t#S256) is not registered for the app.");
        }

        using var key = certificate.GetRSAPublicKey();
        if (key is null || !JwtCodec.Verify(alg, key, jwt.SigningInput, jwt.Signature))
        {
            return (700027, "Client assertion contains an invalid signature.");
        }

        if (Str(jwt.Claims, "aud") is not { } aud || !audiences.Contains(aud))
        {
            return (700212, "No matching federated identity record found for presented assertion audience.");
        }

        if (Str(jwt.Claims, "iss") != clientId || Str(jwt.Claims, "sub") != clientId)
        {
            return (700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
        }

        var exp = JwtCodec.NumericClaim(jwt.Claims, "exp");
        var nbf = JwtCodec.NumericClaim(jwt.Claims, "nbf");
        var unix = now.ToUnixTimeSeconds();
        if (exp is null || nbf is null)
        {
            return (700024, "Client assertion is missing its lifetime (nbf, exp).");
        }

        if (exp < unix - 300)
        {
            return (700024, "Client assertion is not within its valid time range: it has expired.");
        }

        if (nbf > unix + 300)
        {
            return (700024, "Client assertion is not within its valid time range: it is not yet valid.");
        }

        return null;
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
