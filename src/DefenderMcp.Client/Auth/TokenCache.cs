using System.Collections.Concurrent;
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
    private readonly ConcurrentDictionary<string, AccessToken> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Func<TokenCredential> _factory;
    private readonly TimeProvider _time;
    private TokenCredential _credential;

    /// <summary>A cache over credentials made by <paramref name="factory"/>; the first is made now, so configuration errors show at once.</summary>
    public TokenCache(Func<TokenCredential> factory, TimeProvider time)
    {
        _factory = factory;
        _time = time;
        _credential = factory();
    }

    /// <summary>A valid token for <paramref name="scope"/>; <paramref name="forceRefresh"/> skips the cache.</summary>
    public async Task<string> GetAsync(string scope, bool forceRefresh, CancellationToken cancellationToken)
    {
        if (!forceRefresh && _tokens.TryGetValue(scope, out var cached) && cached.ExpiresOn - _time.GetUtcNow() > RefreshMargin)
        {
            return cached.Token;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!forceRefresh && _tokens.TryGetValue(scope, out cached) && cached.ExpiresOn - _time.GetUtcNow() > RefreshMargin)
            {
                return cached.Token;
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
            catch (Exception ex) when (ex is AuthenticationFailedException or CredentialUnavailableException)
            {
                throw new DefenderApiException(DefenderErrorCode.AuthFailure, AuthMessage(ex), inner: ex);
            }

            _tokens[scope] = token;
            return token.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string AuthMessage(Exception ex)
    {
        // Keep only the AADSTS code: the rest of Entra's message can echo request details.
        var match = System.Text.RegularExpressions.Regex.Match(ex.ToString(), "AADSTS[0-9]{4,8}");
        return ex is CredentialUnavailableException
            ? "The configured credential is not available in this environment."
            : "Authentication with Entra ID failed" + (match.Success ? $" ({match.Value})" : string.Empty) + ": check the tenant id, client id and credential.";
    }
}
