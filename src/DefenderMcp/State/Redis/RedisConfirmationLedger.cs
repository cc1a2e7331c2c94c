using System.Security.Cryptography;
using StackExchange.Redis;

namespace DefenderMcp.State.Redis;

/// <summary>
/// Confirmation tokens shared by every replica: the HMAC key is created once in Redis (SET NX, so every replica signs
/// with the same key), and a token is spent with SET NX carrying its own expiry, so it is accepted once across the
/// cluster. Anyone who can read this Redis can read the key: keep Redis private (password, TLS, no public address).
/// </summary>
public sealed class RedisConfirmationLedger(RedisConnection redis) : IConfirmationLedger
{
    private byte[]? _key;

    /// <inheritdoc />
    public async Task<byte[]> SigningKeyAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _key) is { } cached)
        {
            return cached;
        }

        var key = await redis.RunAsync(async db =>
        {
            var name = redis.Key("confirmation:key");
            await db.StringSetAsync(name, RandomNumberGenerator.GetBytes(32), null, When.NotExists).ConfigureAwait(false);
            return (byte[]?)await db.StringGetAsync(name).ConfigureAwait(false);
        }).ConfigureAwait(false);
        if (key is not { Length: 32 })
        {
            throw new StateStoreException("The shared confirmation key in Redis is missing or malformed.");
        }

        Volatile.Write(ref _key, key);
        return key;
    }

    /// <inheritdoc />
    public Task<bool> TrySpendAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var lifetime = expiresAt - DateTimeOffset.UtcNow;
        lifetime = lifetime < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : lifetime;
        return redis.RunAsync(db => db.StringSetAsync(redis.Key("confirmation:spent:" + tokenId), 1, lifetime, When.NotExists));
    }
}
