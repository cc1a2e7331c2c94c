using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// The callers' authority's OpenID configuration and signing keys (JWKS), as the JWT bearer handler reads them. When
/// a token names a key the cached JWKS lacks, the handler asks for a refresh and validates again if it gets another
/// configuration back; here that refresh is fetched within the same request, so the first token signed by a newly
/// published key is accepted (the stock manager refreshed in the background and refused that token once). Refreshes
/// asked for this way happen at most once per <see cref="EntraCallerOptions.KeyRefreshInterval"/>, so forged key ids
/// cannot make the server hammer the authority; otherwise the configuration is re-read every 12 hours.
/// </summary>
public sealed class EntraSigningKeys : BaseConfigurationManager, IConfigurationManager<OpenIdConnectConfiguration>
{
    private readonly IDocumentRetriever _documents;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private readonly Lock _gate = new();
    private OpenIdConnectConfiguration? _current;
    private DateTimeOffset _syncAfter;
    private DateTimeOffset _lastRequested = DateTimeOffset.MinValue;
    private bool _refreshRequested;

    /// <summary>Reads <see cref="EntraCallerOptions.MetadataAddress"/> through <paramref name="http"/> (https only).</summary>
    public EntraSigningKeys(EntraCallerOptions entra, HttpClient http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(entra);
        ArgumentNullException.ThrowIfNull(http);
        MetadataAddress = entra.MetadataAddress.ToString();
        _documents = new HttpDocumentRetriever(http) { RequireHttps = true };
        _refreshInterval = entra.KeyRefreshInterval;
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <inheritdoc />
    public override async Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) =>
        await GetConfigurationAsync(cancel).ConfigureAwait(false);

    /// <summary>
    /// The cached configuration, or a fresh one when none is cached, it is due, or a refresh was asked for. Throws
    /// only while none was ever read (the handler then goes on without keys); later failures keep the cached one.
    /// </summary>
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        if (Cached() is { } cached)
        {
            return cached;
        }

        // While one request fetches (the configuration is due, or a refresh was asked for), the others go on with the keys
        // in hand rather than queue behind it: a slow or hung authority must not hold every caller's request.
        OpenIdConnectConfiguration? inHand;
        lock (_gate)
        {
            inHand = _current;
        }

        if (inHand is null)
        {
            await _fetch.WaitAsync(cancel).ConfigureAwait(false);
        }
        else if (!await _fetch.WaitAsync(0, cancel).ConfigureAwait(false))
        {
            return inHand;
        }

        try
        {
            if (Cached() is { } fetched)
            {
                return fetched;
            }

            lock (_gate)
            {
                _refreshRequested = false;
            }

            var now = _time.GetUtcNow();
            try
            {
                var fresh = await OpenIdConnectConfigurationRetriever.GetAsync(MetadataAddress, _documents, cancel).ConfigureAwait(false);
                lock (_gate)
                {
                    _current = fresh;
                    _syncAfter = now + AutomaticRefreshInterval;
                }

                return fresh;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && _current is not null)
            {
                // The authority is unreachable or answers nonsense: the keys in hand stay; try again a little later.
                lock (_gate)
                {
                    _syncAfter = now + _refreshInterval;
                }

                return _current;
            }
        }
        finally
        {
            _fetch.Release();
        }
    }

    /// <summary>Makes the next read fetch the configuration, unless a refresh was asked for within the refresh interval.</summary>
    public override void RequestRefresh()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_lastRequested != DateTimeOffset.MinValue && now < _lastRequested + _refreshInterval)
            {
                return;
            }

            _lastRequested = now;
            _refreshRequested = true;
        }
    }

    private OpenIdConnectConfiguration? Cached()
    {
        lock (_gate)
        {
            return _current is { } current && !_refreshRequested && _time.GetUtcNow() < _syncAfter ? current : null;
        }
    }
}
