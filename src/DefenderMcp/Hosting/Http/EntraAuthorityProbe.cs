using System.Text.Json;
using DefenderMcp.Client.Http;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Reads the callers' Entra authority as the JWT handler will: its OpenID configuration, with the configured TLS trust,
/// then its signing keys. The handler itself hides a failure there behind "no signing key" for every token, so an
/// unreachable or untrusted authority looked like each caller's bad token; this names the cause for the doctor and
/// for the server's log. Says nothing secret: the authority and the configuration URL are public.
/// </summary>
public static class EntraAuthorityProbe
{
    /// <summary>What to do when <see cref="ProblemAsync"/> finds one.</summary>
    public const string Fix = "check DEFENDER_MCP_ENTRA_AUTHORITY (or DEFENDER_MCP_ENTRA_TENANT_ID), the network to it and DEFENDER_MCP_ENTRA_TLS_TRUST_CERT; until it answers every Entra caller is refused (401)";

    /// <summary>Null when the configuration and at least one signing key can be read; else what went wrong, in words.</summary>
    public static async Task<string?> ProblemAsync(EntraCallerOptions entra, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entra);
        using var http = new HttpClient(TlsTrust.CreateHandler(entra.TrustedCertificatePemPath), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(20) };
        var metadata = entra.MetadataAddress;
        try
        {
            var (configuration, status) = await ReadJsonAsync(http, metadata, cancellationToken).ConfigureAwait(false);
            using var _ = configuration;
            if (configuration is null)
            {
                return $"{metadata} answered {status} instead of the OpenID configuration (is the tenant right?)";
            }

            if (!configuration.RootElement.TryGetProperty("jwks_uri", out var jwks) || jwks.ValueKind != JsonValueKind.String ||
                !Uri.TryCreate(jwks.GetString(), UriKind.Absolute, out var keysUri) || keysUri.Scheme != Uri.UriSchemeHttps)
            {
                return $"{metadata} names no https jwks_uri";
            }

            var (keys, _) = await ReadJsonAsync(http, keysUri, cancellationToken).ConfigureAwait(false);
            using var __ = keys;
            return keys is not null && keys.RootElement.TryGetProperty("keys", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
                ? null
                : $"the signing keys at {keysUri.GetLeftPart(UriPartial.Path)} could not be read";
        }
        catch (HttpRequestException ex)
        {
            return $"{metadata} cannot be reached: {Innermost(ex).Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{metadata} did not answer within 20 s";
        }
    }

    // A body that is not a JSON object counts as no answer; its text is never quoted.
    private static async Task<(JsonDocument? Document, int Status)> ReadJsonAsync(HttpClient http, Uri uri, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            return (null, status);
        }

        try
        {
            var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return (document, status);
            }

            document.Dispose();
            return (null, status);
        }
        catch (JsonException)
        {
            return (null, status);
        }
    }

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is { } inner)
        {
            error = inner;
        }

        return error;
    }
}
