using Azure.Identity;
using Microsoft.Identity.Client;

namespace DefenderMcp.Client.Auth;

/// <summary>
/// The error for a failed token request. Entra refusing the credential (a 4xx, an AADSTS code) is <c>auth_failure</c>;
/// Entra failing (5xx, 408, 429) or not answering is a service failure to retry, <c>upstream_error</c>, so that an
/// outage does not send an operator to rotate a secret that is fine.
/// </summary>
internal static class EntraFailure
{
    // Kept apart as the error's Advice: the tool layer adds its own "try again" only to an error that has none, so an
    // outage said it twice when this advice was part of the message.
    private const string FailedAdvice = "Try again in a minute; if it keeps happening, Entra ID may be degraded (check the Azure status page).";
    private const string UnreachedAdvice = "Try again in a minute; if it keeps happening, check the network path to Entra ID.";

    /// <summary>Maps an <see cref="AuthenticationFailedException"/> or <see cref="CredentialUnavailableException"/>.</summary>
    public static DefenderApiException Map(Exception ex)
    {
        if (ex is CredentialUnavailableException)
        {
            return new(DefenderErrorCode.AuthFailure, "The configured credential is not available in this environment.", inner: ex);
        }

        // Azure.Identity wraps MSAL's exception, which carries Entra's HTTP status (0 when no answer came).
        var status = Chain(ex).OfType<MsalServiceException>().Select(m => m.StatusCode).FirstOrDefault(s => s != 0);
        if (status is >= 500 or 408 or 429)
        {
            return new(
                DefenderErrorCode.UpstreamError,
                $"Entra ID, which issues the access token, failed ({status}), so nothing was sent to Defender; the credential was not refused (nothing to rotate).",
                inner: ex,
                advice: FailedAdvice);
        }

        if (status == 0 && Chain(ex).Any(e => e is HttpRequestException or TimeoutException or OperationCanceledException || e is MsalClientException { ErrorCode: MsalError.RequestTimeout }))
        {
            return new(
                DefenderErrorCode.UpstreamError,
                "Entra ID, which issues the access token, could not be reached or did not answer, so nothing was sent to Defender; the credential was not refused (nothing to rotate).",
                inner: ex,
                advice: UnreachedAdvice);
        }

        // Keep only the AADSTS code: the rest of Entra's message can echo request details.
        var match = System.Text.RegularExpressions.Regex.Match(ex.ToString(), "AADSTS[0-9]{4,8}");
        return new(
            DefenderErrorCode.AuthFailure,
            "Authentication with Entra ID failed" + (match.Success ? $" ({match.Value})" : string.Empty) + ": check the tenant id, client id and credential.",
            inner: ex);
    }

    private static IEnumerable<Exception> Chain(Exception ex)
    {
        for (var e = (Exception?)ex; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
