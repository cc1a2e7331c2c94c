using System.Net;
using System.Text.RegularExpressions;

namespace DefenderMcp.Client;

/// <summary>
/// The custom indicator rules (defender-api §3.9): types, actions, severities, per-type value checks and the
/// <c>generateAlert</c> rule, checked before an indicator body is built.
/// </summary>
public static partial class IndicatorRules
{
    /// <summary>Most indicators one import or batch delete may carry.</summary>
    public const int MaxBatch = 500;

    /// <summary>Longest indicator value.</summary>
    public const int MaxValueLength = 2048;

    /// <summary>Longest title.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>Longest description.</summary>
    public const int MaxDescriptionLength = 1000;

    /// <summary>Indicator types.</summary>
    public static IReadOnlyList<string> Types { get; } = ["FileSha1", "FileSha256", "FileMd5", "IpAddress", "DomainName", "Url", "CertificateThumbprint"];

    /// <summary>Indicator actions the API supports (ti-indicator.md; Warn is for Defender for Cloud Apps only).</summary>
    public static IReadOnlyList<string> Actions { get; } = ["Allowed", "Audit", "Block", "BlockAndRemediate", "Warn"];

    /// <summary>
    /// The actions retired in January 2022, with what to use instead (our mapping; the docs name none): Alert → Audit,
    /// AlertAndBlock → Block with generateAlert true. Still read on existing indicators, never sent.
    /// </summary>
    public static IReadOnlyDictionary<string, string> RetiredActions { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Alert"] = "Audit (which requires generate_alert: true)",
        ["AlertAndBlock"] = "Block with generate_alert: true",
    };

    /// <summary>Why <paramref name="action"/> is refused when it is a retired one, naming the replacement; else null.</summary>
    public static string? Retired(string? action) =>
        action is not null && RetiredActions.TryGetValue(action, out var replacement)
            ? $"The indicator action {action} was retired in January 2022; use {replacement}."
            : null;

    /// <summary>Alert severities.</summary>
    public static IReadOnlyList<string> Severities { get; } = ["Informational", "Low", "Medium", "High"];

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex Hex();

    [GeneratedRegex(@"^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))+$")]
    private static partial Regex Domain();

    /// <summary>
    /// Whether a match raises an alert when the caller does not say: true for Audit, which exists to alert. The docs
    /// require <c>generateAlert: true</c> with Audit, so Audit can never be sent without it.
    /// </summary>
    public static bool GeneratesAlertByDefault(string action) => action is "Audit";

    /// <summary>Null when <paramref name="value"/> is a valid <paramref name="type"/>, else why not.</summary>
    public static string? Problem(string type, string value) => type switch
    {
        "FileSha1" or "CertificateThumbprint" => value.Length == 40 && Hex().IsMatch(value) ? null : "a SHA-1 is 40 hexadecimal characters",
        "FileSha256" => value.Length == 64 && Hex().IsMatch(value) ? null : "a SHA-256 is 64 hexadecimal characters",
        "FileMd5" => value.Length == 32 && Hex().IsMatch(value) ? null : "an MD5 is 32 hexadecimal characters",
        "IpAddress" => value.Contains('/', StringComparison.Ordinal) ? "CIDR ranges are not supported; give one address"
            : DefenderClient.CanonicalIp(value) is null ? "not an IPv4 address (four dotted decimals, no leading zeros) or IPv6 address" : null,
        "DomainName" => Domain().IsMatch(value) ? null : "not a domain name such as evil.example.com",
        "Url" => Uri.TryCreate(value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && Domain().IsMatch(uri.Host) || (uri is not null && IPAddress.TryParse(uri.Host, out _))
            ? null : "not an http(s) URL",
        _ => "unknown indicator type",
    };
}
