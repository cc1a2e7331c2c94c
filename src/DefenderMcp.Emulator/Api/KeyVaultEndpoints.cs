using DefenderMcp.Emulator.Data;
using DefenderMcp.Emulator.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DefenderMcp.Emulator.Api;

/// <summary>
/// Key Vault's secret and certificate reads (<c>GET /secrets/{name}[/{version}]</c>, <c>GET /certificates/{name}[/{version}]</c>)
/// on the emulator's root, as the Azure SDK calls them: a first request without a token gets 401 with the
/// <c>WWW-Authenticate</c> challenge naming the authority and resource; a token for <c>https://vault.azure.net</c>
/// whose app may read the entry gets it; any other app gets 403 <c>Forbidden</c>.
/// </summary>
public static class KeyVaultEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        // Built on first use: loading every tenant's certificate would slow the start of a 500-tenant emulator.
        var vault = new Lazy<KeyVaultStore>(() => new KeyVaultStore(state.Tenants));
        app.MapGet("/secrets/{name}/{version?}", (HttpContext c, string name, string? version) => ReadAsync(c, state, vault, name, version, secret: true));
        app.MapGet("/certificates/{name}/{version?}", (HttpContext c, string name, string? version) => ReadAsync(c, state, vault, name, version, secret: false));
    }

    private static async Task ReadAsync(HttpContext context, EmulatorState state, Lazy<KeyVaultStore> vault, string name, string? version, bool secret)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var root = $"{context.Request.Scheme}://{context.Request.Host}";
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            context.Response.Headers.WWWAuthenticate = $"Bearer authorization=\"{root}/{state.Tenants[0].TenantId}\", resource=\"{TokenService.VaultAudience}\"";
            await ErrorAsync(context, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.").ConfigureAwait(false);
            return;
        }

        var claims = state.Tokens.Validate(header[7..], TokenService.VaultAudience, DateTimeOffset.UtcNow);
        if (claims is null)
        {
            await ErrorAsync(context, 401, "Unauthorized", "AKV10022: Invalid audience, signature or lifetime.").ConfigureAwait(false);
            return;
        }

        var appId = claims.Value.TryGetProperty("appid", out var id) ? id.GetString() : null;
        context.Items["appId"] = appId;
        var entry = vault.Value.Find(name);
        if (entry is null || (version is not null && !string.Equals(version, KeyVaultStore.Version, StringComparison.OrdinalIgnoreCase)))
        {
            await ErrorAsync(context, 404, secret ? "SecretNotFound" : "CertificateNotFound", $"A {(secret ? "secret" : "certificate")} with (name/id) {name} was not found in this key vault.").ConfigureAwait(false);
            return;
        }

        if (appId is null || !entry.Readers.Contains(appId, StringComparer.OrdinalIgnoreCase))
        {
            await ErrorAsync(context, 403, "Forbidden", $"The user, group or application 'appid={appId}' does not have {(secret ? "secrets" : "certificates")} get permission on this key vault.").ConfigureAwait(false);
            return;
        }

        long Epoch(DateTime t) => new DateTimeOffset(t.ToUniversalTime()).ToUnixTimeSeconds();
        var attributes = new Dictionary<string, object> { ["enabled"] = true, ["nbf"] = Epoch(entry.NotBefore), ["exp"] = Epoch(entry.Expires), ["created"] = Epoch(entry.NotBefore), ["updated"] = Epoch(entry.NotBefore), ["recoveryLevel"] = "Recoverable+Purgeable" };
        var secretId = $"{root}/secrets/{name}/{KeyVaultStore.Version}";
        object body = secret
            ? new Dictionary<string, object>
            {
                ["value"] = entry.PfxBase64,
                ["contentType"] = "application/x-pkcs12",
                ["id"] = secretId,
                ["managed"] = true,
                ["kid"] = $"{root}/keys/{name}/{KeyVaultStore.Version}",
                ["attributes"] = attributes,
            }
            : new Dictionary<string, object>
            {
                ["id"] = $"{root}/certificates/{name}/{KeyVaultStore.Version}",
                ["kid"] = $"{root}/keys/{name}/{KeyVaultStore.Version}",
                ["sid"] = secretId,
                ["x5t"] = Base64Url.Encode(entry.Sha1),
                ["cer"] = Convert.ToBase64String(entry.Der),
                ["attributes"] = attributes,
                ["policy"] = new Dictionary<string, object>
                {
                    ["id"] = $"{root}/certificates/{name}/policy",
                    ["key_props"] = new Dictionary<string, object> { ["exportable"] = true, ["kty"] = "RSA", ["key_size"] = 2048, ["reuse_key"] = false },
                    ["secret_props"] = new Dictionary<string, object> { ["contentType"] = "application/x-pkcs12" },
                },
            };
        await context.Response.WriteAsJsonAsync(body).ConfigureAwait(false);
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new Dictionary<string, object> { ["error"] = new Dictionary<string, string> { ["code"] = code, ["message"] = message } });
    }
}
