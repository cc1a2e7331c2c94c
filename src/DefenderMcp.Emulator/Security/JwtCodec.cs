using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DefenderMcp.Emulator.Security;

/// <summary>Signs and verifies compact JWTs (RS256 and PS256).</summary>
public static class JwtCodec
{
    /// <summary>Signs <paramref name="claims"/> with RS256.</summary>
    public static string Sign(JsonObject claims, RSA key, string keyId)
    {
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["kid"] = keyId };
        var signingInput = Base64Url.Encode(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.Encode(signature);
    }

    /// <summary>Splits and decodes a JWT; null when it is not one.</summary>
    public static (JsonElement Header, JsonElement Claims, byte[] SigningInput, byte[] Signature)? Decode(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || token.Length > 16 * 1024)
        {
            return null;
        }

        try
        {
            var header = JsonDocument.Parse(Base64Url.Decode(parts[0])).RootElement.Clone();
            var claims = JsonDocument.Parse(Base64Url.Decode(parts[1])).RootElement.Clone();
            if (header.ValueKind != JsonValueKind.Object || claims.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return (header, claims, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.Decode(parts[2]));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Verifies a signature for <paramref name="alg"/> (RS256 or PS256 only).</summary>
    public static bool Verify(string? alg, RSA key, byte[] signingInput, byte[] signature) => alg switch
    {
        "RS256" => key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        "PS256" => key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
        _ => false,
    };

    /// <summary>A numeric claim given as a JSON number or a numeric string (Azure.Identity sends strings).</summary>
    public static long? NumericClaim(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var s) => s,
            _ => null,
        };
    }
}
