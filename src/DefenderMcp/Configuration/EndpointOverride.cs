using System.Net;

namespace DefenderMcp.Configuration;

/// <summary>Validates endpoint override URLs: https only, except plain http on a loopback host.</summary>
public static class EndpointOverride
{
    /// <summary>Parses <paramref name="value"/>; adds a problem naming <paramref name="setting"/> and returns null when invalid.</summary>
    public static Uri? Parse(string? value, string setting, ICollection<string> problems)
    {
        if (value is null)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") ||
            !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            problems.Add($"{setting}: must be an absolute https URL without credentials, query or fragment");
            return null;
        }

        if (uri.Scheme == "http" && !IsLoopback(uri))
        {
            problems.Add($"{setting}: http is only allowed on a loopback host; use https");
            return null;
        }

        // A trailing slash makes relative paths resolve under the base.
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
