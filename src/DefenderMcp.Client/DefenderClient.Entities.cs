using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client;

/// <summary>
/// Entity pivots (defender-api.md §3.12): files, IPs, domains, users and a machine's logon users and alerts. Each
/// identifier is checked here before any request; the pivots take no <c>$filter</c> or <c>$top</c>, so lists are
/// read whole (one bounded body) and cut at the caller's limit.
/// </summary>
public sealed partial class DefenderClient
{
    /// <summary>The longest look-back the statistics accept (30 days).</summary>
    public const int MaxLookBackHours = 720;

    /// <summary>Whether <paramref name="hash"/> is a SHA1 (40 hex) or SHA256 (64 hex).</summary>
    public static bool IsFileHash(string? hash) => hash is not null && FileHash().IsMatch(hash);

    /// <summary>The canonical text of an IPv4 or IPv6 address, or null when it is not one (hex, colons and dots only: no scopes, no ports).</summary>
    public static string? CanonicalIp(string? ip)
    {
        if (string.IsNullOrEmpty(ip) || ip.Length > 45 || !IpText().IsMatch(ip) || !IPAddress.TryParse(ip, out var address) ||
            address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return null;
        }

        // IPv4 must be four dotted decimals without leading zeros: TryParse also accepts "1" or "0x7f.1", and reads
        // "010" as octal 8, so 185.220.101.047 would quietly become another address (.39).
        return address.AddressFamily == AddressFamily.InterNetwork && !IPv4Text().IsMatch(ip) ? null : address.ToString();
    }

    /// <summary>Whether <paramref name="domain"/> is a DNS host name (labels of letters, digits and hyphens, a dot).</summary>
    public static bool IsDomain(string? domain) => domain is not null && domain.Length <= 253 && DomainName().IsMatch(domain);

    /// <summary>
    /// The account name the user pivots key on: a UPN or DOMAIN\name reduced to its name. A UPN must be one: exactly
    /// one '@' and a domain after it, else x@y@z or x@ would quietly pivot on x, another account than the one meant.
    /// </summary>
    public static string? AccountName(string? user)
    {
        if (string.IsNullOrEmpty(user) || user.Length > 256)
        {
            return null;
        }

        string name;
        if (user.Contains('\\', StringComparison.Ordinal))
        {
            name = user[(user.IndexOf('\\', StringComparison.Ordinal) + 1)..];
        }
        else if (user.Split('@') is [var local, var suffix])
        {
            name = UpnSuffix().IsMatch(suffix) ? local : string.Empty;
        }
        else
        {
            name = user.Contains('@', StringComparison.Ordinal) ? string.Empty : user;
        }

        return AccountText().IsMatch(name) ? name : null;
    }

    /// <summary>Gets a file by SHA1 or SHA256.</summary>
    public async Task<DefenderFile> GetFileAsync(string hash, CancellationToken cancellationToken) =>
        EntityReader.ReadFile(await GetObjectAsync(Mde($"api/files/{Hash(hash)}"), DefenderApi.Mde, AppRoles.FileRead, RateFamily.Mde("files"), cancellationToken).ConfigureAwait(false));

    /// <summary>A file's in-organization statistics over the last <paramref name="lookBackHours"/> (at most 720).</summary>
    public async Task<EntityStats> GetFileStatsAsync(string hash, int lookBackHours, CancellationToken cancellationToken) =>
        EntityReader.ReadStats(await GetObjectAsync(Mde($"api/files/{Hash(hash)}/stats", ("lookBackHours", LookBack(lookBackHours))), DefenderApi.Mde, AppRoles.FileRead, RateFamily.Mde("files/stats"), cancellationToken).ConfigureAwait(false));

    /// <summary>The devices that have a file (SHA1 only, as the service documents).</summary>
    public Task<IReadOnlyList<Machine>> ListFileMachinesAsync(string sha1, int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde($"api/files/{Sha1(sha1)}/machines"), MachineRead, RateFamily.Mde("files/machines"), limit, ModelReader.ReadMachine, cancellationToken);

    /// <summary>The alerts that name a file (SHA1 only).</summary>
    public Task<IReadOnlyList<MdeAlert>> ListFileAlertsAsync(string sha1, int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde($"api/files/{Sha1(sha1)}/alerts"), AppRoles.MdeAlertRead, RateFamily.Mde("files/alerts"), limit, EntityReader.ReadAlert, cancellationToken);

    /// <summary>An IP's in-organization statistics (devices that connected to it).</summary>
    public async Task<EntityStats> GetIpStatsAsync(string ip, int lookBackHours, CancellationToken cancellationToken) =>
        EntityReader.ReadStats(await GetObjectAsync(Mde($"api/ips/{Ip(ip)}/stats", ("lookBackHours", LookBack(lookBackHours))), DefenderApi.Mde, AppRoles.IpRead, RateFamily.Mde("ips/stats"), cancellationToken).ConfigureAwait(false));

    /// <summary>The alerts related to an IP.</summary>
    public Task<IReadOnlyList<MdeAlert>> ListIpAlertsAsync(string ip, int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde($"api/ips/{Ip(ip)}/alerts"), AppRoles.MdeAlertRead, RateFamily.Mde("ips/alerts"), limit, EntityReader.ReadAlert, cancellationToken);

    /// <summary>A domain's in-organization statistics.</summary>
    public async Task<EntityStats> GetDomainStatsAsync(string domain, int lookBackHours, CancellationToken cancellationToken) =>
        EntityReader.ReadStats(await GetObjectAsync(Mde($"api/domains/{Domain(domain)}/stats", ("lookBackHours", LookBack(lookBackHours))), DefenderApi.Mde, AppRoles.UrlRead, RateFamily.Mde("domains/stats"), cancellationToken).ConfigureAwait(false));

    /// <summary>The devices that communicated with a domain (the service returns at most 500).</summary>
    public Task<IReadOnlyList<Machine>> ListDomainMachinesAsync(string domain, int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde($"api/domains/{Domain(domain)}/machines"), MachineRead, RateFamily.Mde("domains/machines"), limit, ModelReader.ReadMachine, cancellationToken);

    /// <summary>The alerts related to a domain (the only documented role is Alert.ReadWrite.All).</summary>
    public Task<IReadOnlyList<MdeAlert>> ListDomainAlertsAsync(string domain, int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde($"api/domains/{Domain(domain)}/alerts"), AppRoles.MdeAlertWrite, RateFamily.Mde("domains/alerts"), limit, EntityReader.ReadAlert, cancellationToken);

    /// <summary>The alerts related to a user (account name, not UPN; a UPN is reduced to its name).</summary>
    public Task<IReadOnlyList<MdeAlert>> ListUserAlertsAsync(string user, int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde($"api/users/{Account(user)}/alerts"), AppRoles.MdeAlertRead, RateFamily.Mde("users/alerts"), limit, EntityReader.ReadAlert, cancellationToken);

    /// <summary>The devices a user logged on to (the only documented role is Machine.ReadWrite.All).</summary>
    public Task<IReadOnlyList<Machine>> ListUserMachinesAsync(string user, int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde($"api/users/{Account(user)}/machines"), AppRoles.MachineWrite, RateFamily.Mde("users/machines"), limit, ModelReader.ReadMachine, cancellationToken);

    /// <summary>The accounts that logged on to a device (by machine id).</summary>
    public Task<IReadOnlyList<LogonUser>> ListLogonUsersAsync(string machineId, int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde($"api/machines/{Id(machineId)}/logonusers"), AppRoles.UserRead, RateFamily.Mde("machines/logonusers"), limit, EntityReader.ReadLogonUser, cancellationToken);

    /// <summary>The alerts on a device (by machine id).</summary>
    public Task<IReadOnlyList<MdeAlert>> ListMachineAlertsAsync(string machineId, int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde($"api/machines/{Id(machineId)}/alerts"), AppRoles.MdeAlertRead, RateFamily.Mde("machines/alerts"), limit, EntityReader.ReadAlert, cancellationToken);

    private static string Hash(string hash) =>
        IsFileHash(hash) ? hash.ToLowerInvariant() : throw new DefenderApiException(DefenderErrorCode.InvalidInput, "The file hash must be a SHA1 (40 hex) or SHA256 (64 hex).");

    private static string Sha1(string sha1) =>
        IsFileHash(sha1) && sha1.Length == 40 ? sha1.ToLowerInvariant() : throw new DefenderApiException(DefenderErrorCode.InvalidInput, "This pivot takes a SHA1 (40 hex characters).");

    private static string Ip(string ip) =>
        CanonicalIp(ip) ?? throw new DefenderApiException(DefenderErrorCode.InvalidInput, "The IP address is not valid.");

    private static string Domain(string domain) =>
        IsDomain(domain) ? domain.ToLowerInvariant() : throw new DefenderApiException(DefenderErrorCode.InvalidInput, "The domain is not a valid DNS name.");

    private static string Account(string user) =>
        AccountName(user) is { } name ? Uri.EscapeDataString(name) : throw new DefenderApiException(DefenderErrorCode.InvalidInput, "The user is not a valid account name or UPN.");

    private static string LookBack(int hours) =>
        hours is >= 1 and <= MaxLookBackHours ? hours.ToString(CultureInfo.InvariantCulture) : throw new DefenderApiException(DefenderErrorCode.InvalidInput, "lookBackHours must be 1 to 720.");

    [GeneratedRegex("^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$")]
    private static partial Regex FileHash();

    [GeneratedRegex("^[0-9A-Fa-f:.]{2,45}$")]
    private static partial Regex IpText();

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}$")]
    private static partial Regex IPv4Text();

    [GeneratedRegex("^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex DomainName();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._$-]{0,103}$")]
    private static partial Regex AccountText();

    // A UPN's domain: DNS labels (one label allowed, as an on-premises suffix may be), no empty or hyphen-edged label.
    [GeneratedRegex("^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex UpnSuffix();
}
