using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text;
using DefenderMcp.State;

namespace DefenderMcp.Policy;

/// <summary>
/// Single-use confirmation tokens: an HMAC over tool, tenant, caller, normalised arguments and expiry. The key and the spent
/// tokens live in an <see cref="IConfirmationLedger"/>: this process (with a private shared folder for
/// <c>defender-mcp call</c>, one process per call), or Redis for a cluster, where a token issued by one replica is
/// accepted once by any. Only the identical call carrying the token, by the same HTTP caller (so a token seen in one
/// caller's transcript is no one else's yes), within its lifetime, can use it, and only once.
/// A ledger that cannot answer throws <see cref="StateStoreException"/>: nothing is confirmed unchecked.
/// </summary>
public sealed class ConfirmationTokens(TimeProvider time, TimeSpan lifetime, IConfirmationLedger ledger)
{
    /// <summary>Tokens of this process alone (tests and one-shot tools), or shared through <paramref name="shared"/>.</summary>
    public ConfirmationTokens(TimeProvider time, TimeSpan lifetime, SharedTokenFolder? shared = null)
        : this(time, lifetime, new InMemoryConfirmationLedger(time, shared))
    {
    }

    /// <summary>Issues a token for this call by <paramref name="caller"/> (<c>kind:name</c> over HTTP, null for the operator).</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> IssueAsync(string tool, string tenant, string? caller, JsonObject arguments, CancellationToken cancellationToken)
    {
        var key = await ledger.SigningKeyAsync(cancellationToken).ConfigureAwait(false);
        var expires = time.GetUtcNow() + lifetime;
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var payload = $"{expires.ToUnixTimeMilliseconds()}.{nonce}";
        return ($"ct.{payload}.{Mac(key, tool, tenant, caller, arguments, payload)}", expires);
    }

    /// <summary>True when <paramref name="token"/> was issued for exactly this call by this caller, is unexpired and unused; it is then spent.</summary>
    public async Task<bool> TryRedeemAsync(string token, string tool, string tenant, string? caller, JsonObject arguments, CancellationToken cancellationToken) =>
        (await RedeemAsync(token, tool, tenant, caller, arguments, cancellationToken).ConfigureAwait(false)).Verdict == TokenVerdict.Accepted;

    /// <summary>
    /// Spends <paramref name="token"/> when it was issued for exactly this call by this caller and is unexpired and
    /// unused; otherwise says why not. <c>Expiry</c> is the token's own, known once its MAC matched this call.
    /// </summary>
    public async Task<(TokenVerdict Verdict, DateTimeOffset? Expiry)> RedeemAsync(string token, string tool, string tenant, string? caller, JsonObject arguments, CancellationToken cancellationToken)
    {
        var parts = token.Split('.');
        if (parts.Length != 4 || parts[0] != "ct" || !long.TryParse(parts[1], out var expires))
        {
            return (TokenVerdict.NotThisCall, null);
        }

        var key = await ledger.SigningKeyAsync(cancellationToken).ConfigureAwait(false);
        var payload = $"{parts[1]}.{parts[2]}";
        var expected = Mac(key, tool, tenant, caller, arguments, payload);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts[3])))
        {
            return (TokenVerdict.NotThisCall, null);
        }

        var expiry = DateTimeOffset.FromUnixTimeMilliseconds(expires);
        if (expiry < time.GetUtcNow())
        {
            return (TokenVerdict.Expired, expiry);
        }

        // The MAC names the token: it is what the ledger records as spent.
        return (await ledger.TrySpendAsync(parts[3], key, expiry, cancellationToken).ConfigureAwait(false) ? TokenVerdict.Accepted : TokenVerdict.Spent, expiry);
    }

    /// <summary>
    /// The token's public id (its random nonce) for the audit trail, or null when it is not a token's shape: it names
    /// the token without its MAC, so the trail ties a preview to its confirmed call without holding the secret part.
    /// </summary>
    public static string? IdOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        return parts.Length == 4 && parts[0] == "ct" && parts[2].Length == 16 && parts[2].All(char.IsAsciiHexDigitLower) ? parts[2] : null;
    }

    private static string Mac(byte[] key, string tool, string tenant, string? caller, JsonObject arguments, string payload)
    {
        var canonical = $"{tool}\n{tenant}\n{caller}\n{Canonical(arguments)}\n{payload}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(canonical)));
    }

    private static string Canonical(JsonObject arguments) =>
        string.Join("\n", arguments.Where(a => a.Key is not ("dry_run" or "confirmation_token")).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value?.ToJsonString()}"));
}
