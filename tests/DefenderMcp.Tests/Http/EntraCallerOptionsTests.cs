using DefenderMcp.Configuration;
using DefenderMcp.Hosting.Http;

namespace DefenderMcp.Tests.Http;

/// <summary>The DEFENDER_MCP_ENTRA_* settings: off unless named, defaults, issuers, and one problem per bad value.</summary>
public sealed class EntraCallerOptionsTests
{
    private const string Tenant = "6babcaad-604b-40ac-a9d7-9fd97c0b779f";

    private static (EntraCallerOptions? Options, List<string> Problems) Read(params (string Name, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        var problems = new List<string>();
        var options = EntraCallerOptions.FromEnvironment(new EnvironmentSource(n => map.GetValueOrDefault(n), new Dictionary<string, string>()), problems);
        return (options, problems);
    }

    [Fact]
    public void Entra_is_off_unless_its_tenant_or_audience_is_set()
    {
        var (options, problems) = Read(("DEFENDER_MCP_ENTRA_CLOCK_SKEW_SECONDS", "30"));

        Assert.Null(options);
        Assert.Empty(problems);
    }

    [Fact]
    public void Defaults_use_the_public_authority_and_accept_its_v1_and_v2_issuers()
    {
        var (options, problems) = Read(("DEFENDER_MCP_ENTRA_TENANT_ID", Tenant), ("DEFENDER_MCP_ENTRA_AUDIENCE", "0d4f0c6a-1b8e-4c43-9a51-2f6d2b7f0a11, api://defender-mcp"));

        Assert.Empty(problems);
        Assert.NotNull(options);
        Assert.Equal(new Uri($"https://login.microsoftonline.com/{Tenant}/v2.0/.well-known/openid-configuration"), options.MetadataAddress);
        Assert.Equal([$"https://login.microsoftonline.com/{Tenant}/v2.0", $"https://sts.windows.net/{Tenant}/"], options.Issuers);
        Assert.Equal(["0d4f0c6a-1b8e-4c43-9a51-2f6d2b7f0a11", "api://defender-mcp"], options.Audiences);
        // Entra takes the app's client id as the resource in a scope; api://{client id} only if that is its app ID URI.
        Assert.Equal(["0d4f0c6a-1b8e-4c43-9a51-2f6d2b7f0a11/.default"], options.Scopes);
        Assert.Equal(TimeSpan.FromSeconds(60), options.ClockSkew);
        Assert.Equal(TimeSpan.FromMinutes(5), options.KeyRefreshInterval);
    }

    [Fact]
    public void An_authority_override_is_the_only_accepted_issuer()
    {
        var (options, problems) = Read(("DEFENDER_MCP_ENTRA_TENANT_ID", Tenant), ("DEFENDER_MCP_ENTRA_AUDIENCE", "api://defender-mcp"), ("DEFENDER_MCP_ENTRA_AUTHORITY", $"https://127.0.0.1:5001/{Tenant}/v2.0"));

        Assert.Empty(problems);
        Assert.Equal([$"https://127.0.0.1:5001/{Tenant}/v2.0"], options!.Issuers);
        Assert.Equal(["api://defender-mcp/.default"], options.Scopes);
    }

    [Fact]
    public void Every_bad_value_is_one_problem_naming_its_variable()
    {
        var (options, problems) = Read(
            ("DEFENDER_MCP_ENTRA_TENANT_ID", "contoso.onmicrosoft.com"),
            ("DEFENDER_MCP_ENTRA_AUDIENCE", " , "),
            ("DEFENDER_MCP_ENTRA_AUTHORITY", "http://login.example.com/x"),
            ("DEFENDER_MCP_ENTRA_CLOCK_SKEW_SECONDS", "900"),
            ("DEFENDER_MCP_ENTRA_KEY_REFRESH_SECONDS", "0"),
            ("DEFENDER_MCP_ENTRA_TLS_TRUST_CERT", "/nonexistent/ca.pem"),
            ("DEFENDER_MCP_PUBLIC_URL", "mcp.example.com/mcp"));

        Assert.Null(options);
        Assert.Equal(
            ["DEFENDER_MCP_ENTRA_TENANT_ID", "DEFENDER_MCP_ENTRA_AUDIENCE", "DEFENDER_MCP_ENTRA_AUTHORITY", "DEFENDER_MCP_ENTRA_CLOCK_SKEW_SECONDS", "DEFENDER_MCP_ENTRA_KEY_REFRESH_SECONDS", "DEFENDER_MCP_ENTRA_TLS_TRUST_CERT", "DEFENDER_MCP_PUBLIC_URL"],
            problems.Select(p => p[..p.IndexOf(':', StringComparison.Ordinal)]));
    }

    [Theory]
    [InlineData("DEFENDER_MCP_PUBLIC_URL", "https://admin:hunter2pw@mcp.example.com/mcp")]
    [InlineData("DEFENDER_MCP_PUBLIC_URL", "https://:hunter2pw@mcp.example.com/mcp")]
    [InlineData("DEFENDER_MCP_PUBLIC_URL", "https://mcp.example.com/mcp?token=hunter2pw")]
    [InlineData("DEFENDER_MCP_PUBLIC_URL", "https://mcp.example.com/mcp?")]
    [InlineData("DEFENDER_MCP_PUBLIC_URL", "https://mcp.example.com/mcp#hunter2pw")]
    [InlineData("DEFENDER_MCP_PUBLIC_URL", "https://mcp.example.com/mcp#")]
    [InlineData("DEFENDER_MCP_ENTRA_AUTHORITY", "https://admin:hunter2pw@login.example.com/" + Tenant + "/v2.0")]
    [InlineData("DEFENDER_MCP_ENTRA_AUTHORITY", "https://login.example.com/" + Tenant + "/v2.0?x=hunter2pw")]
    public void Credentials_query_and_fragment_are_refused_without_echoing_them(string variable, string value)
    {
        var (options, problems) = Read(("DEFENDER_MCP_ENTRA_TENANT_ID", Tenant), ("DEFENDER_MCP_ENTRA_AUDIENCE", "api://defender-mcp"), (variable, value));

        Assert.Null(options);
        var problem = Assert.Single(problems);
        Assert.StartsWith(variable + ": ", problem, StringComparison.Ordinal);
        Assert.Contains("without credentials, query or fragment", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2pw", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_url_with_a_path_prefix_and_an_at_sign_in_its_path_is_accepted()
    {
        var (options, problems) = Read(("DEFENDER_MCP_ENTRA_TENANT_ID", Tenant), ("DEFENDER_MCP_ENTRA_AUDIENCE", "api://defender-mcp"), ("DEFENDER_MCP_PUBLIC_URL", "https://proxy.example.com/tools/@team/mcp"));

        Assert.Empty(problems);
        Assert.Equal(new Uri("https://proxy.example.com/tools/@team/mcp"), options!.PublicResource);
    }
}
