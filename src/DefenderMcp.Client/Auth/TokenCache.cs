using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Azure.Core;
using Azure.Identity;

namespace DefenderMcp.Client.Auth;

/// <summary>
/// One access token per scope, refreshed five minutes before expiry, or on demand after a 401. A forced refresh also
/// starts from a new credential: Azure.Identity keeps its own (MSAL) token cache, which would otherwise hand back
/// the very token the service just refused.
/// </summary>
public sealed class TokenCache
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    // How long a prefetch's failure waits for the call it was made for (a fan-out's waiting tenant), which then gets
    // it instead of asking Entra a second time.
    private static readonly TimeSpan PrefetchFailureLife = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, AccessToken> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Func<TokenCredential> _factory;
    private readonly TimeProvider _time;
    private TokenCredential _credential;
    private PrefetchFailure? _prefetchFailure;

    /// <summary>A cache over credentials made by <paramref name="factory"/>; the first is made now, so configuration errors show at once.</summary>
    public TokenCache(Func<TokenCredential> factory, TimeProvider time)
    {
        _factory = factory;
        _time = time;
        _credential = factory();
    }

    /// <summary>A valid token for <paramref name="scope"/>; <paramref name="forceRefresh"/> skips the cache.</summary>
    public Task<string> GetAsync(string scope, bool forceRefresh, CancellationToken cancellationToken) =>
        GetCoreAsync(scope, forceRefresh, prefetch: false, cancellationToken);

    /// <summary>
    /// Gets the token for <paramref name="scope"/> now, for a call still to come. A failure is not thrown: the next
    /// <see cref="GetAsync"/> for the scope (within 30 seconds) throws it instead, so Entra is asked once either way.
    /// </summary>
    public async Task PrefetchAsync(string scope, CancellationToken cancellationToken)
    {
        try
        {
            await GetCoreAsync(scope, forceRefresh: false, prefetch: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Kept for the call it was made for (see GetCoreAsync).
        }
    }

    private async Task<string> GetCoreAsync(string scope, bool forceRefresh, bool prefetch, CancellationToken cancellationToken)
    {
        if (!forceRefresh && _tokens.TryGetValue(scope, out var cached) && cached.ExpiresOn - _time.GetUtcNow() > RefreshMargin)
        {
            return cached.Token;
        }

        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!prefetch)
        {
            // Another call holds the gate while it waits for Entra: this one waited for Entra too.
            throw new EntraNoAnswerException(ex, cancellationToken);
        }

        try
        {
            if (!forceRefresh && _tokens.TryGetValue(scope, out cached) && cached.ExpiresOn - _time.GetUtcNow() > RefreshMargin)
            {
                return cached.Token;
            }

            if (!prefetch && TakePrefetchFailure(scope, forceRefresh) is { } failure)
            {
                failure.Throw();
            }

            AccessToken token;
            try
            {
                if (forceRefresh)
                {
                    _credential = _factory();
                    _tokens.Clear();
                }

                token = await _credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!prefetch && cancellationToken.IsCancellationRequested && ex is OperationCanceledException or AuthenticationFailedException)
            {
                // Stopped while Entra had not answered (Azure.Identity may wrap the cancellation): a cancellation still,
                // which the call's deadline reports as Entra ID not answering.
                throw new EntraNoAnswerException(ex, cancellationToken);
            }
            catch (Exception ex) when (ex is AuthenticationFailedException or CredentialUnavailableException)
            {
                var mapped = EntraFailure.Map(ex);
                KeepIfPrefetch(prefetch && !cancellationToken.IsCancellationRequested, scope, mapped);
                throw mapped;
            }
            catch (Exception ex) when (prefetch && ex is not OperationCanceledException)
            {
                KeepIfPrefetch(prefetch && !cancellationToken.IsCancellationRequested, scope, ex);
                throw;
            }

            _tokens[scope] = token;
            return token.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    // Under the gate. A prefetch stopped by its fan-out's end keeps nothing: Azure.Identity may wrap the cancellation.
    private void KeepIfPrefetch(bool prefetch, string scope, Exception failure)
    {
        if (prefetch)
        {
            _prefetchFailure = new PrefetchFailure(scope, ExceptionDispatchInfo.Capture(failure), _time.GetUtcNow());
        }
    }

    // Under the gate. Taken once; a forced refresh (after a 401) only drops it, and an old one is dropped unused.
    private ExceptionDispatchInfo? TakePrefetchFailure(string scope, bool forceRefresh)
    {
        if (_prefetchFailure is not { } kept)
        {
            return null;
        }

        _prefetchFailure = null;
        return !forceRefresh && kept.Scope == scope && _time.GetUtcNow() - kept.At < PrefetchFailureLife ? kept.Failure : null;
    }
}
