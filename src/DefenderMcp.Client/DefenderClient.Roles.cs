using System.Text.Json;

namespace DefenderMcp.Client;

/// <summary>Roles: what the current tokens grant, for status reports.</summary>
public sealed partial class DefenderClient
{
    /// <summary>The app roles in the current token for <paramref name="api"/> (decoded, not verified: for status reports only).</summary>
    public async Task<IReadOnlyList<string>> GetGrantedRolesAsync(DefenderApi api, CancellationToken cancellationToken)
    {
        var token = await _tokens.GetAsync(api == DefenderApi.Graph ? Options.Endpoints.GraphScope : Options.Endpoints.MdeScope, false, cancellationToken).ConfigureAwait(false);
        var parts = token.Split('.');
        if (parts.Length < 2)
        {
            return [];
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var doc = JsonDocument.Parse(Convert.FromBase64String(payload));
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
                ? [.. roles.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)]
                : [];
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return [];
        }
    }
}
