using System.Text.Json;

namespace DefenderMcp.Client;

/// <summary>Roles: what the current tokens grant, for status reports.</summary>
public sealed partial class DefenderClient
{
    /// <summary>The roles the reads need (one per distinct set of accepted roles in <see cref="AppRoles.Table"/>).</summary>
    public static IReadOnlyList<RoleRequirement> ReadRoles { get; } = AppRoles.For(RoleUse.Read);

    /// <summary>The roles the writes need (triage, detection rules, machine actions but offboarding, indicators, identity response).</summary>
    public static IReadOnlyList<RoleRequirement> WriteRoles { get; } = AppRoles.For(RoleUse.Write);

    /// <summary>The role offboarding needs (a host enables it on its own).</summary>
    public static IReadOnlyList<RoleRequirement> OffboardRoles { get; } = AppRoles.For(RoleUse.Offboard);

    /// <summary>The roles live response needs: running it, and reading and managing the library it runs from.</summary>
    public static IReadOnlyList<RoleRequirement> LiveResponseRoles { get; } = AppRoles.For(RoleUse.LiveResponse);

    /// <summary>The app roles in the current token for <paramref name="api"/> (decoded, not verified: for status reports only).</summary>
    public async Task<IReadOnlyList<string>> GetGrantedRolesAsync(DefenderApi api, CancellationToken cancellationToken)
    {
        var token = await BoundedAsync(ct => _tokens.GetAsync(Options.Endpoints.ScopeFor(api), false, ct), cancellationToken).ConfigureAwait(false);
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
