using System.Net;
using System.Text.RegularExpressions;

namespace DefenderMcp.Areas.Indicators;

/// <summary>Validates indicator values by type before anything is sent.</summary>
public static partial class IndicatorValidator
{
    /// <summary>Indicator types.</summary>
    public static IReadOnlyList<string> Types { get; } = ["FileSha1", "FileSha256", "FileMd5", "IpAddress", "DomainName", "Url", "CertificateThumbprint"];

    /// <summary>Indicator actions.</summary>
    public static IReadOnlyList<string> Actions { get; } = ["Alert", "Warn", "Block", "Audit", "BlockAndRemediate", "AlertAndBlock", "Allowed"];

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex Hex();

    [GeneratedRegex(@"^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))+$")]
    private static partial Regex Domain();

    /// <summary>Null when <paramref name="value"/> is a valid <paramref name="type"/>, else why not.</summary>
    public static string? Problem(string type, string value) => type switch
    {
        "FileSha1" or "CertificateThumbprint" => value.Length == 40 && Hex().IsMatch(value) ? null : "a SHA-1 is 40 hexadecimal characters",
        "FileSha256" => value.Length == 64 && Hex().IsMatch(value) ? null : "a SHA-256 is 64 hexadecimal characters",
        "FileMd5" => value.Length == 32 && Hex().IsMatch(value) ? null : "an MD5 is 32 hexadecimal characters",
        "IpAddress" => value.Contains('/', StringComparison.Ordinal) ? "CIDR ranges are not supported; give one address"
            : IPAddress.TryParse(value, out var ip) && ip.ToString().Length > 0 && (value.Contains(':', StringComparison.Ordinal) || value.Count(c => c == '.') == 3) ? null : "not an IPv4 or IPv6 address",
        "DomainName" => Domain().IsMatch(value) ? null : "not a domain name such as evil.example.com",
        "Url" => Uri.TryCreate(value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && Domain().IsMatch(uri.Host) || (uri is not null && IPAddress.TryParse(uri.Host, out _))
            ? null : "not an http(s) URL",
        _ => "unknown indicator type",
    };
}
