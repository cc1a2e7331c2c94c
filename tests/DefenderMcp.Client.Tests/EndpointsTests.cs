namespace DefenderMcp.Client.Tests;

public sealed class EndpointsTests
{
    [Theory]
    [InlineData(DefenderCloud.Commercial, null, "https://login.microsoftonline.com/", "https://graph.microsoft.com/", "https://api.security.microsoft.com/")]
    [InlineData(DefenderCloud.Commercial, "eu", "https://login.microsoftonline.com/", "https://graph.microsoft.com/", "https://eu.api.security.microsoft.com/")]
    [InlineData(DefenderCloud.GCC, null, "https://login.microsoftonline.com/", "https://graph.microsoft.com/", "https://api-gcc.securitycenter.microsoft.us/")]
    [InlineData(DefenderCloud.GCCHigh, null, "https://login.microsoftonline.us/", "https://graph.microsoft.us/", "https://api-gov.securitycenter.microsoft.us/")]
    [InlineData(DefenderCloud.DoD, null, "https://login.microsoftonline.us/", "https://dod-graph.microsoft.us/", "https://api-gov.securitycenter.microsoft.us/")]
    public void Clouds_table_matches_the_documented_hosts(DefenderCloud cloud, string? region, string authority, string graph, string mde)
    {
        var endpoints = DefenderEndpoints.For(cloud, region);

        Assert.Equal((authority, graph, mde), (endpoints.AuthorityHost.AbsoluteUri, endpoints.GraphRoot.AbsoluteUri, endpoints.MdeRoot.AbsoluteUri));
        Assert.EndsWith("/.default", endpoints.GraphScope, StringComparison.Ordinal);
        Assert.EndsWith("/.default", endpoints.MdeScope, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evil.example/")]
    [InlineData("u")]
    [InlineData("us-1")]
    [InlineData("toolongregion")]
    public void Regions_that_are_not_short_geo_codes_are_refused(string region)
    {
        Assert.Throws<ArgumentException>(() => DefenderEndpoints.For(DefenderCloud.Commercial, region));
    }

    [Fact]
    public void Overrides_replace_only_what_is_given()
    {
        var emulator = new Uri("https://127.0.0.1:5443/");

        var endpoints = DefenderEndpoints.For(DefenderCloud.Commercial, "UK").WithOverrides(null, emulator, null);

        Assert.Equal("https://login.microsoftonline.com/", endpoints.AuthorityHost.AbsoluteUri);
        Assert.Equal(emulator, endpoints.GraphRoot);
        Assert.Equal("https://uk.api.security.microsoft.com/", endpoints.MdeRoot.AbsoluteUri);
        Assert.Equal("https://api.securitycenter.microsoft.com/.default", endpoints.MdeScope);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("1?$expand=alerts")]
    [InlineData("a#b")]
    [InlineData("%2e%2e")]
    [InlineData("")]
    public void Ids_that_change_the_url_are_refused(string id)
    {
        var error = Assert.Throws<DefenderApiException>(() => DefenderClient.Id(id));

        Assert.Equal(DefenderErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public void Secrets_do_not_show_in_credential_records()
    {
        Assert.DoesNotContain("hunter2", new ClientSecretCredentialSpec("hunter2").ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("pw", new CertificateFileCredential("/x.pfx", "pw").ToString().Replace("/x.pfx", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
