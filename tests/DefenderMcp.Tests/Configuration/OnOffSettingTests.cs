using DefenderMcp.Configuration;

namespace DefenderMcp.Tests.Configuration;

/// <summary>The settings that are on unless turned off: the idle warm-up and the caller named in a write's comment.</summary>
public sealed class OnOffSettingTests
{
    private static ServerSettings Load(string name, string? value)
    {
        var env = new Dictionary<string, string>
        {
            ["AZURE_TENANT_ID"] = "11111111-2222-3333-4444-555555555555",
            ["AZURE_CLIENT_ID"] = "66666666-7777-8888-9999-000000000000",
            ["AZURE_CLIENT_SECRET"] = "x",
        };
        if (value is not null)
        {
            env[name] = value;
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
        Assert.Equal(expected, Load(EnvironmentVariables.Warmup, value).IdleWarmup);

    [Theory]
    [InlineData(null, true)]
    [InlineData("1", true)]
    [InlineData("off", false)]
    [InlineData("0", false)]
    public void DEFENDER_MCP_COMMENT_CALLER_is_on_unless_turned_off_and_leaves_the_warm_up_alone(string? value, bool expected)
    {
        var settings = Load(EnvironmentVariables.CommentCaller, value);

        Assert.Equal((expected, true), (settings.CommentCaller, settings.IdleWarmup));
    }

    [Theory]
    [InlineData("DEFENDER_MCP_WARMUP")]
    [InlineData("DEFENDER_MCP_COMMENT_CALLER")]
    public void Any_other_value_is_refused_at_start_naming_the_variable(string name)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(name, "later"));

        Assert.Equal([$"{name}: must be on or off"], error.Problems);
    }
}
