using DefenderMcp.Mcp;

namespace DefenderMcp.E2E;

/// <summary>
/// What the command line tells a new user, from the built program: the help names every toolset the catalog has, the
/// tools list shows tiers by the names the configuration takes (live_response, not the enum's liveresponse), and a bad
/// value in demo mode does not send the user to try --demo again, and an empty key list names the file it read.
/// </summary>
public sealed class CliTextTests
{
    [Fact]
    public async Task Help_names_every_toolset()
    {
        var (code, stdout, stderr) = await RunAsync(["--help"]);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stdout);
        foreach (var toolset in ToolCatalog.ToolsetNames)
        {
            Assert.Contains(toolset, stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Help_shows_the_command_a_user_types_and_version_goes_to_stdout_for_scripts()
    {
        var (code, _, stderr) = await RunAsync(["call", "--help"]);
        var (versionCode, versionOut, versionErr) = await RunAsync(["--version"]);

        Assert.Equal(0, code);
        Assert.Contains("defender-mcp call <tool> [options]", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("DefenderMcp call", stderr, StringComparison.Ordinal);
        Assert.Equal(0, versionCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", versionOut.Trim());
        Assert.Equal(string.Empty, versionErr);
    }

    [Theory]
    [InlineData("doctor", "--jsn")]
    [InlineData("call")]
    [InlineData("tools", "--toolset", "hunting")]
    public async Task A_mistyped_command_line_exits_2_not_the_1_of_a_problem_found(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        Assert.True(code == 2, stderr);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("Usage:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_arg_names_the_form_it_takes()
    {
        var (code, stdout, stderr) = await RunAsync(["call", "list_alerts", "--arg", "severity", "--demo"]);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("--arg must be name=value, e.g. --arg severity=High", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run_hunting_query", "query_advanced_hunting")]
    [InlineData("list_alert", "list_alerts")]
    public async Task An_unknown_tool_names_the_tool_it_most_likely_meant(string typed, string meant)
    {
        var (code, stdout, stderr) = await RunAsync(["call", typed, "--demo"]);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains($"no tool '{typed}' is available", stderr, StringComparison.Ordinal);
        Assert.Contains($"Did you mean {meant}?", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tools_list_shows_tiers_as_they_are_configured()
    {
        var (code, stdout, stderr) = await RunAsync(["tools", "--demo"]);

        Assert.True(code == 0, stderr);
        var tiers = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        Assert.Equal("read", tiers["list_alerts"]);
        Assert.Equal("respond", tiers["isolate_device"]);
        Assert.Equal("live_response", tiers["run_live_response_script"]);
        Assert.DoesNotContain("liveresponse", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_value_in_demo_mode_names_the_variable_without_suggesting_demo()
    {
        var (code, _, stderr) = await RunAsync(["tools", "--demo"], ("DEFENDER_MCP_LIVE_RESPONSE_MAX_MB", "0"));

        Assert.Equal(2, code);
        Assert.Contains("DEFENDER_MCP_LIVE_RESPONSE_MAX_MB", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("try --demo", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tools")]
    [InlineData("doctor")]
    public async Task A_wrong_toolset_name_is_reported_with_the_other_configuration_problems(string command)
    {
        // It was reported only once everything else was fixed: a second round for the same bad start.
        // doctor prints its table on stdout, the other commands their problems on stderr.
        var (code, stdout, stderr) = await RunAsync([command], ("DEFENDER_MCP_TOOLSETS", "hunting,huntin"), ("DEFENDER_MCP_WARMUP", "maybe"));
        var output = stdout + stderr;

        Assert.Equal(2, code);
        Assert.Contains("DEFENDER_MCP_WARMUP: must be on or off", output, StringComparison.Ordinal);
        Assert.Contains("DEFENDER_MCP_TOOLSETS: unknown toolset 'huntin'", output, StringComparison.Ordinal);
        Assert.Contains("AZURE_TENANT_ID", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_list_on_an_empty_file_says_which_file_it_read()
    {
        var file = Path.Combine(Path.GetTempPath(), $"defender-mcp-keys-{Guid.NewGuid():N}.json");
        var (code, stdout, stderr) = await RunAsync(["keys", "list", "--file", file]);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains($"No API keys in {file}", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args, params (string Name, string Value)[] environment)
    {
        var ct = TestContext.Current.CancellationToken;
        var info = ServerProcess.StartInfo(args);
        info.Environment["XDG_DATA_HOME"] = Path.Combine(Path.GetTempPath(), "defender-mcp-e2e-data");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return await ServerProcess.RunAsync(info, ct);
    }
}
