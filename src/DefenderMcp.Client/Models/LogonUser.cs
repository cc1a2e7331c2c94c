namespace DefenderMcp.Client;

/// <summary>An account that logged on to a device (<c>/machines/{id}/logonusers</c>).</summary>
public sealed record LogonUser(
    string? Id,
    string? AccountName,
    string? AccountDomain,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    string? LogonTypes,
    bool? IsDomainAdmin,
    bool? IsOnlyNetworkUser);
