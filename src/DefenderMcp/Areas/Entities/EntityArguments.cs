using System.Text.Json.Nodes;
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

    /// <summary>Schema of <c>limit</c>.</summary>
    public static JsonObject LimitSchema => Schema.Integer("Most devices and alerts to return, each (default 25, at most 100).", 1, MaxItems, 25);

    /// <summary>Schema of <c>lookback_hours</c>.</summary>
    public static JsonObject LookBackSchema => Schema.Integer("Statistics look-back in hours (default 720 = 30 days, at most 720).", 1, DefenderClient.MaxLookBackHours, DefenderClient.MaxLookBackHours);

    /// <summary>The <c>limit</c> argument.</summary>
    public static int Limit(ToolArguments a) => a.Integer("limit", 1, MaxItems, 25);

    /// <summary>The <c>lookback_hours</c> argument.</summary>
    public static int LookBack(ToolArguments a) => a.Integer("lookback_hours", 1, DefenderClient.MaxLookBackHours, DefenderClient.MaxLookBackHours);

    /// <summary>A SHA1 or SHA256, lower-cased.</summary>
    public static string FileHash(ToolArguments a)
    {
        var hash = a.RequiredString("hash", 64);
        return DefenderClient.IsFileHash(hash) ? hash.ToLowerInvariant() : throw ToolException.InvalidInput("'hash' must be a SHA1 (40 hex characters) or a SHA256 (64 hex characters).");
    }

    /// <summary>An IPv4 or IPv6 address in canonical form.</summary>
    public static string Ip(ToolArguments a) =>
        DefenderClient.CanonicalIp(a.RequiredString("ip", 45)) ?? throw ToolException.InvalidInput("'ip' must be an IPv4 address (four dotted decimals) or an IPv6 address.");

    /// <summary>A DNS domain, lower-cased; a URL is not accepted (its host is what to pass).</summary>
    public static string Domain(ToolArguments a)
    {
        var domain = a.RequiredString("domain", 253);
        return DefenderClient.IsDomain(domain) ? domain.ToLowerInvariant() : throw ToolException.InvalidInput("'domain' must be a DNS name such as contoso-payroll-update.com (no scheme, path or port).");
    }

    /// <summary>The account name of a UPN, DOMAIN\name or bare name.</summary>
    public static string Account(ToolArguments a) =>
        DefenderClient.AccountName(a.RequiredString("user", 256)) ?? throw ToolException.InvalidInput("'user' must be a UPN (adele.vance@contoso.com), DOMAIN\\name or an account name.");

    /// <summary>Devices in order of the list they came from, without repeats.</summary>
    public static IReadOnlyList<Machine> Distinct(IEnumerable<Machine> machines) =>
        [.. machines.DistinctBy(m => m.Id, StringComparer.OrdinalIgnoreCase)];
}
