namespace DefenderMcp.State;

/// <summary>
/// What single-use confirmation tokens need to outlive one process: the HMAC key every issuer and redeemer shares, and
/// the record of spent tokens. Spending is one atomic step, so a token is accepted once across every process that
/// shares the ledger. Implementations: in memory (optionally with a private shared folder) and Redis. A ledger that
/// cannot answer throws <see cref="StateStoreException"/>: the write is then refused, never confirmed unchecked.
/// </summary>
public interface IConfirmationLedger
{
    /// <summary>The 32-byte HMAC key tokens are signed with.</summary>
    Task<byte[]> SigningKeyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="tokenId"/> as spent until <paramref name="expiresAt"/>; false when it already was. A shared
    /// ledger refuses (throws) when <paramref name="signingKey"/>, the key the token was checked with, is no longer its key.
    /// </summary>
    Task<bool> TrySpendAsync(string tokenId, byte[] signingKey, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
