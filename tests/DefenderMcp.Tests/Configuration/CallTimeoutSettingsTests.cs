using DefenderMcp.Cli;
using DefenderMcp.Configuration;

namespace DefenderMcp.Tests.Configuration;

public sealed class CallTimeoutSettingsTests
{
    private const string TenantGuid = "11111111-2222-3333-4444-555555555555";
    private const string ClientGuid = "66666666-7777-8888-9999-000000000000";

    private static Dictionary<string, string> Tenant(params (string Name, string Value)[] more)
    {
        var env = new Dictionary<string, string> { ["AZURE_TENANT_ID"] = TenantGuid, ["AZURE_CLIENT_ID"] = ClientGuid, ["AZURE_CLIENT_SECRET"] = "x" };
        foreach (var (name, value) in more)
        {
            env[name] = value;
        }

        return env;
    }

    private static ServerSettings Load(Dictionary<string, string> env) =>
        new ConfigurationLoader(new EnvironmentSource(name => env.GetValueOrDefault(name), new Dictionary<string, string>())).Load();

    [Fact]
    public void Unset_the_bounds_are_30_s_per_attempt_and_50_s_per_call()
    {
        var retry = Assert.Single(Load(Tenant()).Tenants).Connection.Retry;

        Assert.Equal(TimeSpan.FromSeconds(30), retry.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(50), retry.CallTimeout);
    }

    [Fact]
    public void The_variables_set_both_bounds_on_every_tenant()
    {
        var retry = Assert.Single(Load(Tenant((EnvironmentVariables.AttemptTimeout, "10"), (EnvironmentVariables.CallTimeout, "25"))).Tenants).Connection.Retry;

        Assert.Equal(TimeSpan.FromSeconds(10), retry.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(25), retry.CallTimeout);
    }

    [Theory]
    [InlineData("DEFENDER_MCP_ATTEMPT_TIMEOUT_SECONDS", "0", "DEFENDER_MCP_ATTEMPT_TIMEOUT_SECONDS: must be an integer from 1 to 300")]
    [InlineData("DEFENDER_MCP_CALL_TIMEOUT_SECONDS", "soon", "DEFENDER_MCP_CALL_TIMEOUT_SECONDS: must be an integer from 1 to 600")]
    [InlineData("DEFENDER_MCP_CALL_TIMEOUT_SECONDS", "20", "DEFENDER_MCP_ATTEMPT_TIMEOUT_SECONDS: must not exceed DEFENDER_MCP_CALL_TIMEOUT_SECONDS (20 s)")]
    public void A_bad_bound_is_refused_at_start_naming_the_variable(string variable, string value, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(Tenant((variable, value))));

        Assert.Contains(problem, error.Problems);
    }

    [Fact]
    public void Demo_mode_honours_the_variables_too()
    {
        var problems = new List<string>();
        var demo = new ServerSettings
        {
            Tenants = [.. Load(Tenant()).Tenants],
            DefaultTenant = "default",
        };

        var applied = DemoSettings.Apply(demo, name => name == EnvironmentVariables.CallTimeout ? "40" : null, problems);

        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromSeconds(40), Assert.Single(applied.Tenants).Connection.Retry.CallTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), applied.Tenants[0].Connection.Retry.RequestTimeout);
    }
}
