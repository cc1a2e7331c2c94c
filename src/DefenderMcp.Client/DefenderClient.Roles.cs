using System.Text.Json;

namespace DefenderMcp.Client;

/// <summary>Roles: what the current tokens grant, for status reports.</summary>
public sealed partial class DefenderClient
{
    /// <summary>The roles the reads need (hunting, incidents, alerts, machines and their actions).</summary>
    public static IReadOnlyList<RoleRequirement> ReadRoles { get; } =
    [
        new(DefenderApi.Graph, ["ThreatHunting.Read.All"]),
        new(DefenderApi.Graph, [IncidentRead, IncidentWrite]),
        new(DefenderApi.Graph, [AlertRead, AlertWrite]),
        new(DefenderApi.Mde, [MachineRead, "Machine.ReadWrite.All"]),
    ];

    /// <summary>The roles the writes need (triage, detection rules, machine actions but offboarding, indicators, identity response).</summary>
    public static IReadOnlyList<RoleRequirement> WriteRoles { get; } =
    [
        new(DefenderApi.Graph, [IncidentWrite]),
        new(DefenderApi.Graph, [AlertWrite]),
        new(DefenderApi.Graph, [RuleWrite]),
        new(DefenderApi.Mde, [MachineActionKind.Isolate.Role]),
        new(DefenderApi.Mde, [MachineActionKind.RunAntivirusScan.Role]),
        new(DefenderApi.Mde, [MachineActionKind.RestrictAppExecution.Role]),
        new(DefenderApi.Mde, [MachineActionKind.CollectInvestigationPackage.Role]),
        new(DefenderApi.Mde, [MachineActionKind.StopAndQuarantineFile.Role]),
        new(DefenderApi.Mde, [IndicatorRole, "Ti.ReadWrite"]),
        new(DefenderApi.Graph, [GraphUserRead, "User.ReadWrite.All", "Directory.Read.All"]),
        new(DefenderApi.Graph, [GroupMemberRead, "Group.Read.All", "Directory.Read.All"]),
        new(DefenderApi.Graph, [RevokeSessionsRole, "User.ReadWrite.All", "Directory.ReadWrite.All"]),
        new(DefenderApi.Graph, [EnableDisableRole, "User.ReadWrite.All", "Directory.ReadWrite.All"]),
        new(DefenderApi.Graph, [RiskyUserWrite]),
    ];

    /// <summary>The roles live response needs: running it, and reading and managing the library it runs from.</summary>
    public static IReadOnlyList<RoleRequirement> LiveResponseRoles { get; } = [new(DefenderApi.Mde, [LiveResponseRole]), new(DefenderApi.Mde, [LibraryRole])];

    /// <summary>The app roles in the current token for <paramref name="api"/> (decoded, not verified: for status reports only).</summary>
    public async Task<IReadOnlyList<string>> GetGrantedRolesAsync(DefenderApi api, CancellationToken cancellationToken)
    {
        var token = await BoundedAsync(ct => _tokens.GetAsync(api == DefenderApi.Graph ? Options.Endpoints.GraphScope : Options.Endpoints.MdeScope, false, ct), cancellationToken).ConfigureAwait(false);
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
