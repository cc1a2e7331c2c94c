using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text;

namespace DefenderMcp.Policy;

/// <summary>
/// Single-use confirmation tokens: an HMAC over tool, tenant, normalised arguments and expiry, with a key that lives
/// only in this process, or in a private shared folder when one is given (so <c>defender-mcp call</c>, one process per
/// call, can confirm a preview). Only the identical call carrying the token, within its lifetime, can use it, and only once.
/// </summary>
public sealed class ConfirmationTokens(TimeProvider time, TimeSpan lifetime, SharedTokenFolder? shared = null)
{
    private readonly byte[] _key = shared?.Key ?? RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    /// <summary>Issues a token for this call.</summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue(string tool, string tenant, JsonObject arguments)
    {
        var expires = time.GetUtcNow() + lifetime;
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var payload = $"{expires.ToUnixTimeMilliseconds()}.{nonce}";
        return ($"ct.{payload}.{Mac(tool, tenant, arguments, payload)}", expires);
    }

    /// <summary>True when <paramref name="token"/> was issued for exactly this call, is unexpired and unused; it is then spent.</summary>
    public bool TryRedeem(string token, string tool, string tenant, JsonObject arguments)
    {
        var parts = token.Split('.');
        if (parts.Length != 4 || parts[0] != "ct" || !long.TryParse(parts[1], out var expires))
        {
            return false;
        }

        var payload = $"{parts[1]}.{parts[2]}";
        var expected = Mac(tool, tenant, arguments, payload);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts[3])) ||
            DateTimeOffset.FromUnixTimeMilliseconds(expires) < time.GetUtcNow())
        {
            return false;
        }

        foreach (var (old, at) in _used.Where(u => u.Value < time.GetUtcNow()).ToList())
        {
            _used.TryRemove(old, out _);
        }

        return _used.TryAdd(token, DateTimeOffset.FromUnixTimeMilliseconds(expires)) &&
            (shared is null || shared.TrySpend(parts[3], DateTimeOffset.FromUnixTimeMilliseconds(expires), time.GetUtcNow()));
    }

    private string Mac(string tool, string tenant, JsonObject arguments, string payload)
    {
        var canonical = $"{tool}\n{tenant}\n{Canonical(arguments)}\n{payload}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(canonical)));
    }

    private static string Canonical(JsonObject arguments) =>
        string.Join("\n", arguments.Where(a => a.Key is not ("dry_run" or "confirmation_token")).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value?.ToJsonString()}"));
}
