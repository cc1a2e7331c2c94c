using System.Security.Cryptography;
using StackExchange.Redis;

namespace DefenderMcp.State.Redis;

/// <summary>
/// Confirmation tokens shared by every replica: the HMAC key is created once in Redis (SET NX, so every replica signs
/// with the same key), and a token is spent with SET NX carrying its own expiry, so it is accepted once across the
/// cluster. The key is read from Redis for each token, never kept: after Redis lost its data (a restart without
/// persistence), a replica holding the old key would accept a token it had already spent (its spent mark was lost with
/// the data), and would refuse the tokens of replicas that made the new key. The spend checks, in the same atomic
/// step, that the key the token was checked with is still the one in Redis. Anyone who can read this Redis can read the
/// key: keep Redis private (password, TLS, no public address).
/// </summary>
public sealed class RedisConfirmationLedger(RedisConnection redis) : IConfirmationLedger
{
    // Spends the token only while KEYS[1] still holds the key it was verified with: -1 when the key changed or is gone.
    private const string SpendScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
        if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return 1 end
        return 0
        """;

    /// <inheritdoc />
    public async Task<byte[]> SigningKeyAsync(CancellationToken cancellationToken)
    {
        var key = await redis.RunAsync(async db =>
        {
            var name = redis.Key("confirmation:key");
            if ((byte[]?)await db.StringGetAsync(name).ConfigureAwait(false) is { } stored)
            {
                return stored;
            }

            await db.StringSetAsync(name, RandomNumberGenerator.GetBytes(32), null, When.NotExists).ConfigureAwait(false);
            return (byte[]?)await db.StringGetAsync(name).ConfigureAwait(false);
        }).ConfigureAwait(false);
        if (key is not { Length: 32 })
        {
            throw new StateStoreException("The shared confirmation key in Redis is missing or malformed.");
        }

        return key;
    }

    /// <inheritdoc />
    public async Task<bool> TrySpendAsync(string tokenId, byte[] signingKey, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var lifetime = expiresAt - DateTimeOffset.UtcNow;
        lifetime = lifetime < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : lifetime;
        var spent = await redis.RunAsync(async db => (long)(await db.ScriptEvaluateAsync(
            SpendScript,
            [redis.Key("confirmation:key"), redis.Key("confirmation:spent:" + tokenId)],
            [signingKey, (long)lifetime.TotalMilliseconds]).ConfigureAwait(false))).ConfigureAwait(false);
        return spent switch
        {
            1 => true,
            0 => false,
            _ => throw new StateStoreException("The shared confirmation key in Redis changed since this token was checked (Redis lost its data, or it was rotated), so no token made before can be confirmed: call again without confirmation_token for a new preview."),
        };
    }
}
