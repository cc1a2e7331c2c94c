using System.Text.Json;
using DefenderMcp.Audit;
using DefenderMcp.Configuration;
using DefenderMcp.Hosting.Http;
using DefenderMcp.Policy;
using DefenderMcp.Tests.Hunting;
using DefenderMcp.Tests.Policy;
using DefenderMcp.Tests.Support;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Tests.Http;

/// <summary>
/// The callers file reloaded while the server runs: a valid file replaces the policy whole for new grants (and every
/// copy of the settings sees it), a grant read before keeps what it had, and an invalid file keeps the old policy with
/// one warning per version of the file.
/// </summary>
public sealed class CallersFileWatchTests : IDisposable
{
    private const string Both = """{"callers": {"key:ops": {"tenants": ["contoso", "fabrikam"], "actions": "respond"}}}""";
    private const string ContosoOnly = """{"callers": {"key:ops": {"tenants": ["contoso"], "actions": "read"}, "key:ci": {"tenants": "*"}}}""";

    private static readonly IReadOnlyList<TenantSettings> Tenants = [CallerPolicyTests.Tenant("contoso", ActionTier.Respond), CallerPolicyTests.Tenant("fabrikam", ActionTier.Respond)];

    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-callers-watch-").FullName;
    private readonly string _path;
    private readonly StringWriter _audit = new();
    private readonly LinesLogger<CallersFileWatch> _log = new();
    private readonly ServerSettings _settings;
    private readonly CallersFileWatch _watch;

    public CallersFileWatchTests()
    {
        _path = Path.Combine(_dir, "callers.json");
        Write(Both);
        _settings = new ServerSettings { Tenants = Tenants, DefaultTenant = "contoso", Callers = CallersFile.Load(_path, ["contoso", "fabrikam"]) };
        _watch = new CallersFileWatch(_path, ["contoso", "fabrikam"], _settings.CallerPolicies, new AuditLog(_audit, null, new ManualTimeProvider()), _log);
    }

    public void Dispose()
    {
        _watch.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_valid_change_replaces_the_policy_for_new_grants_and_an_earlier_grant_keeps_its_own()
    {
        var readOnly = _settings.AsReadOnly();
        var before = Grant(_settings);

        Write(ContosoOnly);
        _watch.Check();
        Assert.True(Grant(_settings).Allows("fabrikam"), "a change was read before it stood still for one interval");
        _watch.Check();

        Assert.False(Grant(_settings).Allows("fabrikam"));
        Assert.Equal(ActionTier.Read, Grant(_settings).EffectiveTier(Tenants[0]));
        Assert.False(Grant(readOnly).Allows("fabrikam"));
        Assert.True(before.Allows("fabrikam"));
        Assert.Equal(ActionTier.Respond, before.EffectiveTier(Tenants[0]));
        Assert.Equal([$"Information The callers file {_path} was reloaded: 2 caller rules; calls that start from now on use them."], _log.Lines);
        var line = JsonDocument.Parse(_audit.ToString()).RootElement;
        Assert.Equal(("callers_reloaded", "success", 2), (line.GetProperty("event").GetString(), line.GetProperty("outcome").GetString(), line.GetProperty("counts").GetProperty("callers").GetInt32()));
    }

    [Fact]
    public void An_invalid_file_keeps_the_policy_in_force_with_one_warning_until_it_is_fixed()
    {
        Write("""{"callers": {"key:ops": {"tenants": ["contoso", "tailspin"], "actions": "respond"}}}""");
        for (var i = 0; i < 4; i++)
        {
            _watch.Check();
        }

        Assert.True(Grant(_settings).Allows("fabrikam"));
        var warning = Assert.Single(_log.Lines);
        Assert.StartsWith($"Warning The callers file {_path} changed but cannot be used ($.callers[\"key:ops\"].tenants: 'tailspin' is not a configured tenant); the 1 caller rules in force stay in force until the file is fixed.", warning, StringComparison.Ordinal);

        File.Delete(_path);
        _watch.Check();
        _watch.Check();
        Assert.True(Grant(_settings).Allows("fabrikam"), "a removed file closed everything");
        Assert.Equal(2, _log.Lines.Count);

        Write(ContosoOnly);
        _watch.Check();
        _watch.Check();
        Assert.False(Grant(_settings).Allows("fabrikam"));
        Assert.StartsWith("Information ", _log.Lines[^1], StringComparison.Ordinal);
        var outcomes = _audit.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("outcome").GetString());
        Assert.Equal(["error", "error", "success"], outcomes);
    }

    [Fact]
    public void A_file_refused_for_its_mode_is_read_once_chmod_fixes_it_though_its_time_and_length_stay()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Write(ContosoOnly);
        File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        _watch.Check();
        _watch.Check();
        _watch.Check();
        Assert.True(Grant(_settings).Allows("fabrikam"));
        Assert.Contains("mode 644", Assert.Single(_log.Lines), StringComparison.Ordinal);

        // What the warning says to do; the write time and the length do not change.
        File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _watch.Check();

        Assert.False(Grant(_settings).Allows("fabrikam"));
        Assert.StartsWith("Information The callers file", _log.Lines[^1], StringComparison.Ordinal);
        var outcomes = _audit.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("outcome").GetString());
        Assert.Equal(["error", "success"], outcomes);
    }

    [Fact]
    public void A_directory_in_place_of_the_file_is_a_warning_and_a_fixed_file_is_read_again()
    {
        File.Delete(_path);
        Directory.CreateDirectory(_path);
        _watch.Check();
        _watch.Check();

        Assert.True(Grant(_settings).Allows("fabrikam"));
        Assert.StartsWith("Warning The callers file", Assert.Single(_log.Lines), StringComparison.Ordinal);

        Directory.Delete(_path);
        Write(ContosoOnly);
        _watch.Check();
        _watch.Check();
        Assert.False(Grant(_settings).Allows("fabrikam"));
    }

    [Fact]
    public void Each_reload_that_takes_effect_tells_the_sessions_once_and_a_refused_file_tells_no_one()
    {
        var toolLists = new ToolListChanges();
        var told = 0;
        toolLists.Changed += (_, _) => told++;
        using var watch = new CallersFileWatch(_path, ["contoso", "fabrikam"], _settings.CallerPolicies, new AuditLog(_audit, null, new ManualTimeProvider()), _log, toolLists: toolLists);

        Write("""{"callers": {"key:ops": {"tenants": ["tailspin"]}}}""");
        watch.Check();
        watch.Check();
        Assert.Equal(0, told);

        Write(ContosoOnly);
        watch.Check();
        Assert.Equal(0, told);
        watch.Check();
        watch.Check();
        Assert.Equal(1, told);
    }

    [Fact]
    public void A_notice_that_fails_never_undoes_the_reload_and_is_one_warning()
    {
        var toolLists = new ToolListChanges();
        toolLists.Changed += (_, _) => throw new ObjectDisposedException("session");
        using var watch = new CallersFileWatch(_path, ["contoso", "fabrikam"], _settings.CallerPolicies, new AuditLog(_audit, null, new ManualTimeProvider()), _log, toolLists: toolLists);

        Write(ContosoOnly);
        watch.Check();
        watch.Check();
        Assert.False(Grant(_settings).Allows("fabrikam"));
        Write(Both);
        watch.Check();
        watch.Check();

        Assert.True(Grant(_settings).Allows("fabrikam"));
        Assert.Single(_log.Lines, l => l.StartsWith("Warning The callers file was reloaded but live sessions could not all be told their tool list changed (ObjectDisposedException)", StringComparison.Ordinal));
        Assert.Equal(2, _log.Lines.Count(l => l.StartsWith("Information The callers file", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_tool_collection_takes_the_registered_tools_and_declares_list_changed()
    {
        var toolLists = new ToolListChanges();
        var tool = ModelContextProtocol.Server.McpServerTool.Create(() => "pong", new() { Name = "ping" });
        var options = new ModelContextProtocol.Server.McpServerOptions { ToolCollection = [tool] };

        toolLists.Adopt(options);
        toolLists.Adopt(options);

        Assert.Same(toolLists, options.ToolCollection);
        Assert.Equal(["ping"], toolLists.PrimitiveNames);
        Assert.True(options.Capabilities?.Tools?.ListChanged);
    }

    private static CallerGrant Grant(ServerSettings settings) => settings.Callers.Grant(CallerContext.ApiKey("ops"), settings.Tenants);

    private void Write(string text)
    {
        File.WriteAllText(_path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // A rewrite within the file system's time resolution and of the same length would look unchanged.
        File.SetLastWriteTimeUtc(_path, DateTime.UtcNow.AddSeconds(Random.Shared.Next(1, 100_000)));
    }

    [Fact]
    public void A_reload_with_a_rule_given_twice_keeps_the_rules_in_force_with_one_warning()
    {
        Write("""{"callers": {"key:ops": {"tenants": ["contoso"], "actions": "read"}, "key:ops": {"tenants": "*", "actions": "respond"}}}""");
        for (var i = 0; i < 4; i++)
        {
            _watch.Check();
        }

        Assert.True(Grant(_settings).Allows("fabrikam"));
        Assert.Contains("$.callers[\"key:ops\"]: given more than once", Assert.Single(_log.Lines), StringComparison.Ordinal);
    }
}
