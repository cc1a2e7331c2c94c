using System.Net;

namespace DefenderMcp.Hosting.Http;

/// <summary>One address from <c>--urls</c>: scheme, host and port, and whether only this machine can reach it.</summary>
/// <param name="Https">True for <c>https://</c>.</param>
/// <param name="Host">An IP literal, <c>localhost</c>, or null for every interface (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>).</param>
/// <param name="Port">The TCP port; 0 picks a free one (tests).</param>
public sealed record ListenAddress(bool Https, string? Host, int Port)
{
    /// <summary>True when the address is reachable from this machine only (127.0.0.0/8, ::1 or localhost).</summary>
    public bool IsLoopback =>
        Host is not null &&
        (string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase) ||
         (IPAddress.TryParse(Host, out var ip) && IPAddress.IsLoopback(ip)));

    /// <summary>Parses a <c>;</c>- or <c>,</c>-separated list; adds one problem per bad entry.</summary>
    public static IReadOnlyList<ListenAddress> ParseList(string urls, ICollection<string> problems)
    {
        var result = new List<ListenAddress>();
        foreach (var raw in urls.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Parse(raw) is { } address)
            {
                result.Add(address);
            }
            else
            {
                problems.Add($"--urls: '{raw}' is not http(s)://HOST:PORT with an IP address, localhost or * as HOST");
            }
        }

        if (result.Count == 0 && problems.Count == 0)
        {
            problems.Add("--urls: no address given");
        }

        return result;
    }

    private static ListenAddress? Parse(string raw)
    {
        // Uri refuses '*' and '+' as hosts; they mean every interface.
        var normalized = raw.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) ||
            (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) ||
            uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo) ||
            uri.IsDefaultPort && !normalized.Contains(":" + uri.Port, StringComparison.Ordinal))
        {
            return null;
        }

        var host = uri.Host.Trim('[', ']');
        if (!string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(host, out _))
        {
            return null;
        }

        var any = IPAddress.TryParse(host, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any));
        return new ListenAddress(uri.Scheme == Uri.UriSchemeHttps, any ? null : host, uri.Port);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{(Https ? "https" : "http")}://{(Host is null ? "*" : Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host)}:{Port}";
}
