using System.Net;
using System.Text.Json;

namespace DefenderMcp.Client.Http;

/// <summary>Turns an error response into a <see cref="DefenderApiException"/> without passing the body through.</summary>
public static class ErrorMapper
{
    private const int MaxErrorBody = 64 * 1024;

    /// <summary>The exception for a non-success <paramref name="response"/>.</summary>
    public static async Task<DefenderApiException> ToExceptionAsync(DefenderRequest request, HttpResponseMessage response, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var (code, message) = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var upstream = code is null ? string.Empty : $" ({Clean(code, 64)})";
        var requestId = RequestId(response);
        DefenderApiException error = response.StatusCode switch
        {
            HttpStatusCode.BadRequest when request.Url.AbsolutePath.EndsWith("/runHuntingQuery", StringComparison.Ordinal) && message is not null =>
                // The service's message names the KQL problem, which the model needs to fix its query; clipped and cleaned.
                new(DefenderErrorCode.InvalidInput, "The hunting service rejected the query: " + Clean(message, 300), status),
            HttpStatusCode.BadRequest when IsAlreadyRunning(code, message) =>
                new(DefenderErrorCode.Conflict, $"Defender refused the request (400{upstream}): an action of this kind is already in progress on this device, so nothing new was started.", status),
            HttpStatusCode.BadRequest when IsMachineAction(request) =>
                // The service's reason is the only thing that says why a device action was refused (it is not isolated, say).
                new(DefenderErrorCode.InvalidInput, $"Defender refused the device action (400{(code is null ? string.Empty : " " + Clean(code, 64))}){Said(message)}.", status),
            HttpStatusCode.BadRequest => new(DefenderErrorCode.InvalidInput, $"The Defender service rejected the request{upstream}.", status),
            HttpStatusCode.Unauthorized => new(DefenderErrorCode.AuthFailure, "The Defender service did not accept the access token (401).", status, advice: "Check the app registration and its consent."),
            HttpStatusCode.Forbidden when string.Equals(code, "DisabledFeature", StringComparison.OrdinalIgnoreCase) =>
                new(DefenderErrorCode.FeatureDisabled, $"Defender refused the operation because the feature is not enabled in this tenant (403 DisabledFeature){Said(message)}.", status, advice: "An administrator turns it on in the Defender portal (Settings > Endpoints > Advanced features); granting app roles will not help."),
            HttpStatusCode.Forbidden when string.Equals(code, "DisallowedOperation", StringComparison.OrdinalIgnoreCase) =>
                new(DefenderErrorCode.OperationDisallowed, $"Defender does not allow this operation here (403 DisallowedOperation){Said(message)}.", status, advice: "This is the service's rule for this device or tenant, not a missing app role."),
            HttpStatusCode.Forbidden => new(DefenderErrorCode.PermissionDenied, $"The app lacks the permission for this operation; it needs the application role {request.Role}.", status, missingRole: request.Role),
            HttpStatusCode.Conflict => new(DefenderErrorCode.Conflict, "Defender refused the request: an object with this id already exists (409 Conflict).", status, advice: "Choose another id, or update the existing object."),
            HttpStatusCode.NotFound => new(DefenderErrorCode.NotFound, "Not found: no such object in this tenant.", status),
            HttpStatusCode.TooManyRequests => new(DefenderErrorCode.RateLimited, "Defender throttled the request (429); retry after the indicated time.", status, retryAfter ?? TimeSpan.FromSeconds(60)),
            HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => new(DefenderErrorCode.Timeout, $"The Defender service timed out ({status}).", status, retryAfter),
            _ => new(DefenderErrorCode.UpstreamError, $"The Defender service failed ({status}{(code is null ? string.Empty : ", " + Clean(code, 64))}).", status, retryAfter),
        };
        return requestId is null ? error : error.WithRequestId(requestId);
    }

    // A response action on a machine: POST /api/machines/{id}/{action} (defender-api §3.5).
    private static bool IsMachineAction(DefenderRequest request) =>
        request.Method == HttpMethod.Post && request.Url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) is [.., "api", "machines", _, _];

    // MDE answers a second action of a kind still pending on the device with 400 "Action is already in progress";
    // live response says ActiveRequestAlreadyExists. Both mean "wait for the other one", not "fix your input".
    private static bool IsAlreadyRunning(string? code, string? message) =>
        string.Equals(code, "ActiveRequestAlreadyExists", StringComparison.OrdinalIgnoreCase) ||
        (message is not null && message.Contains("already in progress", StringComparison.OrdinalIgnoreCase));

    // The service's own reason, clipped and cleaned: for these refusals it is the only thing that says what to change.
    // Its closing full stop is dropped: the sentence goes on after it ("...: Feature is off. An administrator ...").
    private static string Said(string? message) => string.IsNullOrWhiteSpace(message) ? string.Empty : ": " + Clean(message, 300).TrimEnd().TrimEnd('.');

    /// <summary>Graph's <c>request-id</c>, else <c>x-ms-request-id</c>, else the <c>client-request-id</c> we sent; only id-shaped values.</summary>
    public static string? RequestId(HttpResponseMessage response)
    {
        foreach (var name in (string[])["request-id", "x-ms-request-id"])
        {
            if (response.Headers.TryGetValues(name, out var values) && values.FirstOrDefault() is { } value && IsId(value))
            {
                return value;
            }
        }

        return response.RequestMessage?.Headers.TryGetValues("client-request-id", out var sent) == true && sent.FirstOrDefault() is { } ours && IsId(ours) ? ours : null;
    }

    private static bool IsId(string value) => value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    // The body is read under MaxErrorBody while it arrives (a chunked error page declares no length): one over it is
    // not read further and says nothing.
    private static async Task<(string? Code, string? Message)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is 0 or > MaxErrorBody)
        {
            return (null, null);
        }

        await using var body = new CappedBodyStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), MaxErrorBody);
        try
        {
            using var doc = await JsonDocument.ParseAsync(body, default, cancellationToken).ConfigureAwait(false);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (Str(error, "code"), Str(error, "message"));
            }
        }
        catch (JsonException)
        {
            // Not JSON: nothing to read.
        }
        catch (DefenderApiException) when (body.Exceeded)
        {
            // Over the cap: nothing to read.
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // The connection broke inside the error body: the status alone still says what failed.
        }

        return (null, null);
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Clips <paramref name="value"/> and drops control characters.</summary>
    public static string Clean(string value, int max)
    {
        var clean = new string([.. value.Where(c => !char.IsControl(c))]);
        return clean.Length <= max ? clean : clean[..max] + "…";
    }
}
