namespace DefenderMcp.Areas.Status;

/// <summary>One tenant's status: policy, endpoints, authentication and app roles.</summary>
/// <param name="Tenant">The tenant key.</param>
/// <param name="Actions">The policy tier.</param>
/// <param name="Confirmation">The confirmation mode.</param>
/// <param name="ActionsLeftThisHour">Writes still allowed in the rolling hour.</param>
/// <param name="GraphHost">The Graph host in use.</param>
/// <param name="DefenderHost">The Defender for Endpoint host in use.</param>
/// <param name="GraphAuth">ok, or the error code of getting a Graph token.</param>
/// <param name="DefenderAuth">ok, or the error code of getting an MDE token.</param>
/// <param name="GrantedRoles">App roles found in the tokens.</param>
/// <param name="MissingRoles">Roles the tenant's tier needs for the listed toolsets that the tokens lack.</param>
public sealed record ServerStatusOutput(
    string Tenant,
    string Actions,
    string Confirmation,
    int ActionsLeftThisHour,
    string GraphHost,
    string DefenderHost,
    string GraphAuth,
    string DefenderAuth,
    IReadOnlyList<string> GrantedRoles,
    IReadOnlyList<string> MissingRoles);
