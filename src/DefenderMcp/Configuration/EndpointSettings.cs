using DefenderMcp.Client;

namespace DefenderMcp.Configuration;

/// <summary>
/// Where a tenant's APIs live, as configured: cloud, region and endpoint overrides. Every part is optional so that a
/// tenant of the tenants file can fall back, part by part, to the server-wide environment variables.
/// </summary>
internal sealed record EndpointSettings(DefenderCloud? Cloud, string? Region, Uri? AuthorityHost, Uri? GraphApiBase, Uri? DefenderApiBase)
{
    /// <summary>Nothing configured: the Commercial cloud's own endpoints.</summary>
    public static EndpointSettings None { get; } = new(null, null, null, null, null);

    /// <summary>Reads the endpoint settings from <paramref name="values"/>; each unset part takes <paramref name="fallback"/>'s.</summary>
    public static EndpointSettings Read(ITenantValues values, EndpointSettings fallback, ICollection<string> problems)
    {
        Uri? Override(string field) => EndpointOverride.Parse(values.Get(field), values.PathOf(field), problems);

        return new(
            ParseCloud(values.Get("cloud"), values.PathOf("cloud"), problems) ?? fallback.Cloud,
            ParseRegion(values.Get("region"), values.PathOf("region"), problems) ?? fallback.Region,
            Override("authority_host") ?? fallback.AuthorityHost,
            Override("graph_api_base") ?? fallback.GraphApiBase,
            Override("defender_api_base") ?? fallback.DefenderApiBase);
    }

    /// <summary>The client's endpoints: the cloud's table entry with the overrides applied.</summary>
    public DefenderEndpoints ToEndpoints() =>
        DefenderEndpoints.For(Cloud ?? DefenderCloud.Commercial, Region).WithOverrides(AuthorityHost, GraphApiBase, DefenderApiBase);

    private static DefenderCloud? ParseCloud(string? value, string setting, ICollection<string> problems)
    {
        if (value is null)
        {
            return null;
        }

        if (Enum.TryParse<DefenderCloud>(value, ignoreCase: true, out var cloud) && Enum.IsDefined(cloud) && !int.TryParse(value, out _))
        {
            return cloud;
        }

        problems.Add($"{setting}: must be Commercial, GCC, GCCHigh or DoD");
        return null;
    }

    private static string? ParseRegion(string? value, string setting, ICollection<string> problems)
    {
        if (value is null)
        {
            return null;
        }

        var region = value.ToLowerInvariant();
        if (region is "us" or "eu" or "uk" or "au" or "swa" or "ina" or "aea")
        {
            return region;
        }

        problems.Add($"{setting}: must be one of us, eu, uk, au, swa, ina, aea");
        return null;
    }
}
