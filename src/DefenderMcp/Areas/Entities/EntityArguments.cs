using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Entities;

/// <summary>
/// The arguments of the entity pivots, each checked here before any request: a malformed hash, IP, domain or user is
/// refused as <c>invalid_input</c> and nothing is sent.
/// </summary>
public static class EntityArguments
{
    /// <summary>Most devices and alerts one pivot returns (each list).</summary>
    public const int MaxItems = 100;

    /// <summary><c>limit</c>: most devices and alerts a pivot returns, each.</summary>
    public static ToolParameter Limit { get; } = ToolParameter.Integer("limit", "Most devices and alerts to return, each (default 25, at most 100).", 1, MaxItems, 25);

    /// <summary><c>lookback_hours</c>: the statistics' look-back.</summary>
    public static ToolParameter LookBack { get; } = ToolParameter.Integer("lookback_hours", "Statistics look-back in hours (default 720 = 30 days, at most 720).", 1, DefenderClient.MaxLookBackHours, DefenderClient.MaxLookBackHours);

    /// <summary><c>hash</c>: a file's SHA1 or SHA256.</summary>
    public static ToolParameter Hash { get; } = ToolParameter.String("hash", "SHA1 (40 hex) or SHA256 (64 hex) of the file.", 64, "^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$").AsRequired();

    /// <summary><c>ip</c>: an IPv4 or IPv6 address.</summary>
    public static ToolParameter IpAddress { get; } = ToolParameter.String("ip", "IPv4 (four dotted decimals, no leading zeros) or IPv6 address, e.g. 185.220.101.47.", 45).AsRequired();

    /// <summary><c>domain</c>: a DNS name.</summary>
    public static ToolParameter DomainName { get; } = ToolParameter.String("domain", "DNS name without scheme, path or port, e.g. contoso-payroll-update.com.", 253, "^[A-Za-z0-9.-]{1,253}$").AsRequired();

    /// <summary><c>user</c>: a UPN, DOMAIN\name or account name.</summary>
    public static ToolParameter User { get; } = ToolParameter.String("user", "UPN (adele.vance@contoso.com), DOMAIN\\name or account name.", 256).AsRequired();

    /// <summary>A SHA1 or SHA256, lower-cased.</summary>
    public static string FileHash(ToolArguments a)
    {
        var hash = a.RequiredString(Hash);
        return DefenderClient.IsFileHash(hash) ? hash.ToLowerInvariant() : throw ToolException.InvalidInput("'hash' must be a SHA1 (40 hex characters) or a SHA256 (64 hex characters).");
    }

    /// <summary>An IPv4 or IPv6 address in canonical form.</summary>
    public static string Ip(ToolArguments a) =>
        DefenderClient.CanonicalIp(a.RequiredString(IpAddress)) ?? throw ToolException.InvalidInput("'ip' must be an IPv4 address (four dotted decimals, no leading zeros: 047 could be read as octal) or an IPv6 address.");

    /// <summary>A DNS domain, lower-cased; a URL is not accepted (its host is what to pass).</summary>
    public static string Domain(ToolArguments a)
    {
        var domain = a.RequiredString(DomainName);
        return DefenderClient.IsDomain(domain) ? domain.ToLowerInvariant() : throw ToolException.InvalidInput("'domain' must be a DNS name such as contoso-payroll-update.com (no scheme, path or port).");
    }

    /// <summary>The account name of a UPN, DOMAIN\name or bare name.</summary>
    public static string Account(ToolArguments a) =>
        DefenderClient.AccountName(a.RequiredString(User)) ?? throw ToolException.InvalidInput("'user' must be a UPN (adele.vance@contoso.com), DOMAIN\\name or an account name.");

    /// <summary>Devices in order of the list they came from, without repeats.</summary>
    public static IReadOnlyList<Machine> Distinct(IEnumerable<Machine> machines) =>
        [.. machines.DistinctBy(m => m.Id, StringComparer.OrdinalIgnoreCase)];
}
