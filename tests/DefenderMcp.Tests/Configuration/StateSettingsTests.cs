using DefenderMcp.Configuration;
using DefenderMcp.State;

namespace DefenderMcp.Tests.Configuration;

/// <summary>DEFENDER_MCP_STATE_DIR and the scheduled-hunt retention settings.</summary>
public sealed class StateSettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-state-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Dictionary<string, string> Env(params (string Name, string Value)[] extra)
    {
        var env = new Dictionary<string, string>
        {
            ["AZURE_TENANT_ID"] = "11111111-2222-3333-4444-555555555555",
            ["AZURE_CLIENT_ID"] = "66666666-7777-8888-9999-000000000000",
            ["AZURE_CLIENT_SECRET"] = "unused",
        };
        foreach (var (name, value) in extra)
        {
            env[name] = value;
        }

        return env;
    }

    private static ServerSettings Load(Dictionary<string, string> env) =>
        new ConfigurationLoader(new EnvironmentSource(name => env.GetValueOrDefault(name), new Dictionary<string, string>())).Load();

    [Fact]
    public void Without_settings_state_is_in_memory_with_the_default_retention()
    {
        var settings = Load(Env());

        Assert.Null(settings.StateFolder);
        Assert.Equal(HuntRetention.Default, settings.HuntRetention);
        Assert.Equal(new HuntRetention(50, 1024 * 1024), HuntRetention.Default);
    }

    [Fact]
    public void A_new_state_folder_in_an_existing_folder_and_retention_values_are_read()
    {
        var settings = Load(Env(("DEFENDER_MCP_STATE_DIR", Path.Combine(_dir, "state")), ("DEFENDER_MCP_HUNT_RUNS_KEPT", "7"), ("DEFENDER_MCP_HUNT_BYTES_KEPT", "131072")));

        Assert.Equal(Path.Combine(_dir, "state"), settings.StateFolder);
        Assert.Equal(new HuntRetention(7, 131072), settings.HuntRetention);
        Assert.False(Directory.Exists(Path.Combine(_dir, "state"))); // created by the store at its first use, not by loading
    }

    [Fact]
    public void Bad_state_settings_are_named_at_start()
    {
        var file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "x");

        var problems = Assert.Throws<ConfigurationException>(() => Load(Env(
            ("DEFENDER_MCP_STATE_DIR", file),
            ("DEFENDER_MCP_HUNT_RUNS_KEPT", "0"),
            ("DEFENDER_MCP_HUNT_BYTES_KEPT", "1000")))).Problems;
        var missingParent = Assert.Throws<ConfigurationException>(() => Load(Env(("DEFENDER_MCP_STATE_DIR", Path.Combine(_dir, "no", "such", "state"))))).Problems;

        Assert.Contains(problems, p => p.StartsWith("DEFENDER_MCP_STATE_DIR:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("DEFENDER_MCP_HUNT_RUNS_KEPT", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("DEFENDER_MCP_HUNT_BYTES_KEPT", StringComparison.Ordinal));
        Assert.Contains(missingParent, p => p.StartsWith("DEFENDER_MCP_STATE_DIR:", StringComparison.Ordinal));
    }
}
