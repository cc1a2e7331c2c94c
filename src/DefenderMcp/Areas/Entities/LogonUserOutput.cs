using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Entities;

/// <summary>An account that logged on to a device.</summary>
public sealed record LogonUserOutput(string? Account, string? AccountName, string? AccountDomain, DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen, string? LogonTypes, bool? IsDomainAdmin, bool? IsOnlyNetworkUser)
{
    /// <summary>Maps a client logon user; upstream strings are clipped.</summary>
    public static LogonUserOutput From(LogonUser u) => new(
        Text.Clip(u.Id, 256), Text.Clip(u.AccountName, 128), Text.Clip(u.AccountDomain, 128), u.FirstSeen, u.LastSeen, Text.Clip(u.LogonTypes, 128), u.IsDomainAdmin, u.IsOnlyNetworkUser);
}
