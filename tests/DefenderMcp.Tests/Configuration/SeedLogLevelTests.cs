using DefenderMcp.Configuration;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Tests.Configuration;

/// <summary>
/// mcp-defender-xdr users set MCP_DEFENDER_XDR_LOG_LEVEL with Python's level names (its default is INFO); the same
/// setting must start this server, at the matching level, instead of failing with exit 2.
/// </summary>
public sealed class SeedLogLevelTests
{
    private static readonly Dictionary<string, string> Tenant = new()
    {
        ["AZURE_TENANT_ID"] = "11111111-2222-3333-4444-555555555555",
        ["AZURE_CLIENT_ID"] = "66666666-7777-8888-9999-000000000000",
        ["AZURE_CLIENT_SECRET"] = "not-a-real-secret",
    };

    [Theory]
    [InlineData("DEBUG", LogLevel.Debug)]
    [InlineData("INFO", LogLevel.Information)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("WARNING", LogLevel.Warning)]
    [InlineData("WARN", LogLevel.Warning)]
    [InlineData("ERROR", LogLevel.Error)]
    [InlineData("CRITICAL", LogLevel.Critical)]
    [InlineData("FATAL", LogLevel.Critical)]
    [InlineData("NOTSET", LogLevel.Trace)]
    [InlineData("Information", LogLevel.Information)]
    [InlineData("None", LogLevel.None)]
    public void Python_and_dotnet_level_names_are_accepted(string value, LogLevel expected) =>
        Assert.Equal(expected, Load(value).LogLevel);

    [Theory]
    [InlineData("VERBOSE")]
    [InlineData("3")]
    public void Other_values_fail_naming_the_variable_and_the_accepted_names(string value)
    {
        var problem = Assert.Single(Assert.Throws<ConfigurationException>(() => Load(value)).Problems);
        Assert.Contains("MCP_DEFENDER_XDR_LOG_LEVEL", problem, StringComparison.Ordinal);
        Assert.Contains("INFO", problem, StringComparison.Ordinal);
    }

    private static ServerSettings Load(string level)
    {
        var env = new Dictionary<string, string>(Tenant) { ["MCP_DEFENDER_XDR_LOG_LEVEL"] = level };
        return new ConfigurationLoader(new EnvironmentSource(name => env.GetValueOrDefault(name), new Dictionary<string, string>())).Load();
    }
}
