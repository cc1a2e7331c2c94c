namespace DefenderMcp.Client;

/// <summary>Where a tenant's authority, Graph and Defender for Endpoint APIs live, and the scopes to request.</summary>
/// <param name="AuthorityHost">Entra authority host, e.g. https://login.microsoftonline.com/.</param>
/// <param name="GraphRoot">Graph root, e.g. https://graph.microsoft.com/.</param>
/// <param name="MdeRoot">Defender for Endpoint API root, e.g. https://api.security.microsoft.com/.</param>
/// <param name="GraphScope">Client-credentials scope for Graph.</param>
/// <param name="MdeScope">Client-credentials scope for the MDE API.</param>
public sealed record DefenderEndpoints(Uri AuthorityHost, Uri GraphRoot, Uri MdeRoot, string GraphScope, string MdeScope)
{
    /// <summary>The clouds table (defender-api.md §1.1 and §3.1); <paramref name="region"/> picks a Commercial MDE geo host.</summary>
    /// <exception cref="ArgumentException">The region is not a short run of letters.</exception>
    public static DefenderEndpoints For(DefenderCloud cloud, string? region = null) => cloud switch
    {
        DefenderCloud.Commercial => new(
            new Uri("https://login.microsoftonline.com/"),
            new Uri("https://graph.microsoft.com/"),
            new Uri(string.IsNullOrEmpty(region) ? "https://api.security.microsoft.com/" : $"https://{Region(region)}.api.security.microsoft.com/"),
            "https://graph.microsoft.com/.default",
            "https://api.securitycenter.microsoft.com/.default"),
        DefenderCloud.GCC => new(
            new Uri("https://login.microsoftonline.com/"),
            new Uri("https://graph.microsoft.com/"),
            new Uri("https://api-gcc.securitycenter.microsoft.us/"),
            "https://graph.microsoft.com/.default",
            "https://api-gcc.securitycenter.microsoft.us/.default"),
        DefenderCloud.GCCHigh => new(
            new Uri("https://login.microsoftonline.us/"),
            new Uri("https://graph.microsoft.us/"),
            new Uri("https://api-gov.securitycenter.microsoft.us/"),
            "https://graph.microsoft.us/.default",
            "https://api-gov.securitycenter.microsoft.us/.default"),
        DefenderCloud.DoD => new(
            new Uri("https://login.microsoftonline.us/"),
            new Uri("https://dod-graph.microsoft.us/"),
            new Uri("https://api-gov.securitycenter.microsoft.us/"),
            "https://dod-graph.microsoft.us/.default",
            "https://api-gov.securitycenter.microsoft.us/.default"),
        _ => throw new ArgumentOutOfRangeException(nameof(cloud)),
    };

    // The region becomes part of a host name, so only a short run of letters (us, eu, uk, au, swa, ina, aea...) is accepted.
    private static string Region(string region) =>
        region.Length is >= 2 and <= 8 && region.All(char.IsAsciiLetter)
            ? region.ToLowerInvariant()
            : throw new ArgumentException("The MDE region must be a short geo code such as us, eu or uk.", nameof(region));

    /// <summary>The client-credentials scope a request to <paramref name="api"/> needs.</summary>
    public string ScopeFor(DefenderApi api) => api == DefenderApi.Graph ? GraphScope : MdeScope;

    /// <summary>A copy with any non-null override applied (scopes are unchanged: an emulator accepts the real ones).</summary>
    public DefenderEndpoints WithOverrides(Uri? authorityHost, Uri? graphRoot, Uri? mdeRoot) => this with
    {
        AuthorityHost = authorityHost ?? AuthorityHost,
        GraphRoot = graphRoot ?? GraphRoot,
        MdeRoot = mdeRoot ?? MdeRoot,
    };
}
