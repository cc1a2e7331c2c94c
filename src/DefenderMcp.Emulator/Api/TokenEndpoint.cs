using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Emulator.Api;

/// <summary><c>POST /{tenant}/oauth2/v2.0/token</c>: Entra v2 client credentials with a secret or a certificate assertion.</summary>
public static class TokenEndpoint
{
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>Handles one token request.</summary>
    public static async Task HandleAsync(HttpContext context, EmulatorState state, string tenantSegment)
    {
        if (!context.Request.HasFormContentType)
        {
            await ApiErrors.WriteEntraAsync(context, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.").ConfigureAwait(false);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var tenant = state.FindTenant(tenantSegment);
        if (tenant is null)
        {
            await ApiErrors.WriteEntraAsync(context, 400, "invalid_request", 90002, "Tenant not found. Check to make sure you have the correct tenant ID.").ConfigureAwait(false);
            return;
        }

        if (form["grant_type"] != "client_credentials")
        {
            await ApiErrors.WriteEntraAsync(context, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.").ConfigureAwait(false);
            return;
        }

        string? clientId = form["client_id"];
        string? secret = form["client_secret"];
        var basic = context.Request.Headers.Authorization.ToString();
        if (basic.StartsWith("Basic ", StringComparison.Ordinal))
        {
            // client_secret_basic: base64(urlencode(id) ":" urlencode(secret)), RFC 6749 §2.3.1.
            var buffer = new byte[basic.Length];
            if (!Convert.TryFromBase64String(basic[6..].Trim(), buffer, out var length))
            {
                await ApiErrors.WriteEntraAsync(context, 400, "invalid_request", 9002313, "Invalid request. Request is malformed or invalid.").ConfigureAwait(false);
                return;
            }

            var decoded = System.Text.Encoding.UTF8.GetString(buffer, 0, length).Split(':', 2);
            clientId ??= Uri.UnescapeDataString(decoded[0]);
            secret = decoded.Length > 1 ? Uri.UnescapeDataString(decoded[1]) : null;
        }

        var app = new[] { tenant.App, tenant.LimitedApp }.FirstOrDefault(a => a.ClientId == clientId);
        if (app is null)
        {
            await ApiErrors.WriteEntraAsync(context, 400, "unauthorized_client", 700016, $"Application with identifier '{Clip(clientId)}' was not found in the directory '{tenant.Domain}'.").ConfigureAwait(false);
            return;
        }

        var scope = ((string?)form["scope"])?.Trim() ?? string.Empty;
        var audience = Security.TokenService.AudienceForScope(scope);
        if (audience is null)
        {
            await ApiErrors.WriteEntraAsync(context, 400, "invalid_scope", 70011, "The provided value for the input parameter 'scope' is not valid. The scope must be a single resource followed by /.default.").ConfigureAwait(false);
            return;
        }

        var now = DateTimeOffset.UtcNow;
        if (form["client_assertion_type"] == AssertionType)
        {
            var endpoint = $"{context.Request.Scheme}://{context.Request.Host}/{{0}}/oauth2/v2.0/token";
            var audiences = new[] { string.Format(System.Globalization.CultureInfo.InvariantCulture, endpoint, tenantSegment), string.Format(System.Globalization.CultureInfo.InvariantCulture, endpoint, tenant.TenantId), string.Format(System.Globalization.CultureInfo.InvariantCulture, endpoint, tenant.Domain) };
            var assertion = form["client_assertion"].ToString();
            var problem = Security.FederatedCredential.IsFederated(assertion)
                ? state.Tokens.Federation.Validate(assertion, now)
                : Security.ClientAssertionValidator.Validate(assertion, app.ClientId, state.AppCertificates[app.ClientId], audiences, now);
            if (problem is { } p)
            {
                await ApiErrors.WriteEntraAsync(context, 401, "invalid_client", p.Code, p.Reason).ConfigureAwait(false);
                return;
            }
        }
        else if (secret is null || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(app.ClientSecret)))
        {
            await ApiErrors.WriteEntraAsync(context, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.").ConfigureAwait(false);
            return;
        }

        context.Items["appId"] = app.ClientId;
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3599,
            ["ext_expires_in"] = 3599,
            ["access_token"] = state.Tokens.Issue(tenant, app, audience, now),
        }).ConfigureAwait(false);
    }

    private static string Clip(string? value) => value is null ? string.Empty : value.Length <= 40 ? value : value[..40];
}
