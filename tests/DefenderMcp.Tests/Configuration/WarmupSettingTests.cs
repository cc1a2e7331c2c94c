using DefenderMcp.Configuration;

namespace DefenderMcp.Tests.Configuration;

public sealed class WarmupSettingTests
{
    private static ServerSettings Load(string? warmup)
    {
        var env = new Dictionary<string, string>
        {
            ["AZURE_TENANT_ID"] = "11111111-2222-3333-4444-555555555555",
            ["AZURE_CLIENT_ID"] = "66666666-7777-8888-9999-000000000000",
            ["AZURE_CLIENT_SECRET"] = "x",
        };
        if (warmup is not null)
        {
            env[EnvironmentVariables.Warmup] = warmup;
        }

        return new ConfigurationLoader(new EnvironmentSource(name => env.GetValueOrDefault(name), new Dictionary<string, string>())).Load();
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("on", true)]
    [InlineData("off", false)]
    [InlineData("OFF", false)]
    [InlineData("false", false)]
    public void DEFENDER_MCP_WARMUP_is_on_unless_turned_off(string? value, bool expected) =>
        Assert.Equal(expected, Load(value).IdleWarmup);

    [Fact]
    public void Any_other_value_is_refused_at_start_naming_the_variable()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load("later"));

        Assert.Contains("DEFENDER_MCP_WARMUP: must be on or off", error.Problems);
    }
}
