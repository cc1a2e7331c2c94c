using System.Runtime.InteropServices;
using DefenderMcp.E2E.Packaging;

namespace DefenderMcp.E2E;

/// <summary>
/// A secret or policy file the server's user cannot read (the usual slip: root wrote it 0600, the service runs as
/// another user) stops the start with exit 2 and one line naming the setting and the fix, never a stack trace. The
/// built program runs as nobody when the tests run as root (root reads every file), from a copy nobody can reach
/// (<see cref="ProgramCopyForNobody"/>), else the file is made mode 0000.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UnreadableFileTests : IDisposable, IClassFixture<ProgramCopyForNobody>
{
    private const string Tenant = "00000000-0000-0000-0000-000000000001";
    private const string Client = "00000000-0000-0000-0000-0000000000a1";
    private readonly string _folder = Path.Combine("/tmp", "defender-mcp-unreadable-" + Guid.NewGuid().ToString("N"));
    private readonly ProgramCopyForNobody _program;

    public UnreadableFileTests(ProgramCopyForNobody program)
    {
        _program = program;
        Directory.CreateDirectory(_folder);
        File.SetUnixFileMode(_folder, (UnixFileMode)0b111_101_101);
    }

    public void Dispose()
    {
        // A folder made unusable (mode 0000 when not root) is opened up again so it can be removed.
        foreach (var folder in Directory.GetDirectories(_folder))
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.Delete(_folder, recursive: true);
    }

    public static TheoryData<string> Settings() =>
        ["MCP_DEFENDER_XDR_TENANTS_FILE", "AZURE_CERT_PATH", "DEFENDER_MCP_REDIS_PASSWORD_FILE", "DEFENDER_MCP_CALLERS_FILE"];

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task A_file_the_user_cannot_read_is_a_configuration_problem_not_a_crash(string setting)
    {
        SkipUnlessLinux();
        var file = UnreadableFile("""{"default": "a", "tenants": {"a": {"tenant_id": "x"}}}""");
        var environment = new Dictionary<string, string?>
        {
            ["AZURE_TENANT_ID"] = Tenant,
            ["AZURE_CLIENT_ID"] = Client,
            ["AZURE_CLIENT_SECRET"] = "a-secret-value",
            [setting] = file,
        };
        string[] args = [];
        switch (setting)
        {
            case "MCP_DEFENDER_XDR_TENANTS_FILE" or "AZURE_CERT_PATH":
                environment["AZURE_CLIENT_SECRET"] = null;
                break;
            case "DEFENDER_MCP_REDIS_PASSWORD_FILE":
                environment["DEFENDER_MCP_REDIS"] = "127.0.0.1:1";
                break;
            case "DEFENDER_MCP_CALLERS_FILE":
                args = ["serve", "--transport", "http", "--urls", "http://127.0.0.1:0", "--allow-anonymous-loopback"];
                break;
        }

        var result = await RunAsync(args, environment);

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains($"{setting}: this user (", result.Output, StringComparison.Ordinal);
        Assert.Contains("cannot read the file", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("a-secret-value", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_names_an_unreadable_tenants_file_once_with_the_chown_fix()
    {
        SkipUnlessLinux();
        var file = UnreadableFile("{}");

        var result = await RunAsync(["doctor"], new Dictionary<string, string?> { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = file });

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Single(Lines(result.Output), l => l.Contains("cannot read the file", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_env_file_in_the_working_folder_is_a_configuration_problem_not_a_crash()
    {
        SkipUnlessLinux();
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "service")).FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        File.Move(UnreadableFile("AZURE_TENANT_ID=00000000-0000-0000-0000-000000000001\n"), Path.Combine(folder, ".env"));

        var result = await RunAsync(["doctor"], [], folder);

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains($".env in {folder}: this user (", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("call")]
    public async Task An_audit_file_this_user_cannot_write_or_a_folder_stops_the_start(string command)
    {
        SkipUnlessLinux();
        string[] args = command == "call" ? ["call", "list_alerts", "--demo"] : [];
        var environment = new Dictionary<string, string?>
        {
            ["AZURE_TENANT_ID"] = Tenant,
            ["AZURE_CLIENT_ID"] = Client,
            ["AZURE_CLIENT_SECRET"] = "a-secret-value",
        };

        environment["DEFENDER_MCP_AUDIT_FILE"] = UnreadableFile(string.Empty);
        var unwritable = await RunAsync(args, new(environment));
        environment["DEFENDER_MCP_AUDIT_FILE"] = _folder;
        var folder = await RunAsync(args, new(environment));

        Assert.True(unwritable.ExitCode == 2, unwritable.Output);
        Assert.Contains("DEFENDER_MCP_AUDIT_FILE: this user (", unwritable.Output, StringComparison.Ordinal);
        Assert.True(folder.ExitCode == 2, folder.Output);
        Assert.Contains($"DEFENDER_MCP_AUDIT_FILE: {_folder} is a folder", folder.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", unwritable.Output + folder.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DEFENDER_MCP_HUNTS_DIR", "cannot read the folder")]
    [InlineData("DEFENDER_MCP_HUNT_RESULTS_DIR", "cannot create files in the folder")]
    [InlineData("DEFENDER_MCP_LIVE_RESPONSE_DIR", "cannot create files in the folder")]
    [InlineData("DEFENDER_MCP_LIBRARY_UPLOAD_DIR", "cannot read the folder")]
    public async Task A_folder_the_user_cannot_use_is_a_configuration_problem_not_a_crash(string setting, string expected)
    {
        SkipUnlessLinux();
        var folder = Directory.CreateDirectory(Path.Combine(_folder, Guid.NewGuid().ToString("N"))).FullName;
        File.WriteAllText(Path.Combine(folder, "hunt.kql"), "DeviceInfo | take 1");
        File.SetUnixFileMode(folder, GetEffectiveUserId() == 0 ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.None);

        var result = await RunAsync(["call", "list_saved_hunts"], new Dictionary<string, string?>
        {
            ["AZURE_TENANT_ID"] = Tenant,
            ["AZURE_CLIENT_ID"] = Client,
            ["AZURE_CLIENT_SECRET"] = "a-secret-value",
            [setting] = folder,
        });

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains($"{setting}: this user (", result.Output, StringComparison.Ordinal);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("doctor", false)]
    [InlineData("doctor", true)]
    [InlineData("serve", false)]
    [InlineData("serve", true)]
    public async Task A_state_folder_the_user_cannot_write_stops_the_start(string command, bool missing)
    {
        SkipUnlessLinux();
        // Root's 0755 folder (nobody reads it, cannot write it); this user's own 0555 folder otherwise. A missing state
        // folder is made by the server, so then its parent is the one it cannot write.
        var readOnly = Directory.CreateDirectory(Path.Combine(_folder, "state-" + Guid.NewGuid().ToString("N"))).FullName;
        File.SetUnixFileMode(readOnly, GetEffectiveUserId() == 0 ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b101_101_101);
        var state = missing ? Path.Combine(readOnly, "state") : readOnly;

        var result = await RunAsync(command == "doctor" ? ["doctor"] : [], new Dictionary<string, string?>
        {
            ["AZURE_TENANT_ID"] = Tenant,
            ["AZURE_CLIENT_ID"] = Client,
            ["AZURE_CLIENT_SECRET"] = "a-secret-value",
            ["DEFENDER_MCP_STATE_DIR"] = state,
        });

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains("DEFENDER_MCP_STATE_DIR: this user (", result.Output, StringComparison.Ordinal);
        Assert.Contains(missing ? $"cannot create the folder in {readOnly}" : "cannot create files in the folder", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("a-secret-value", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DEFENDER_MCP_HUNTS_DIR")]
    [InlineData("DEFENDER_MCP_HUNT_RESULTS_DIR")]
    [InlineData("DEFENDER_MCP_LIVE_RESPONSE_DIR")]
    [InlineData("DEFENDER_MCP_LIBRARY_UPLOAD_DIR")]
    [InlineData("DEFENDER_MCP_STATE_DIR")]
    public async Task A_folder_inside_a_folder_the_user_cannot_enter_is_named_so_not_missing(string setting)
    {
        SkipUnlessLinux();
        var closed = Directory.CreateDirectory(Path.Combine(_folder, "closed-" + Guid.NewGuid().ToString("N"))).FullName;
        var folder = Directory.CreateDirectory(Path.Combine(closed, "state", "hunts")).FullName;
        // Root's own 0700 folder is closed to nobody; this user's 0000 folder is closed to itself.
        File.SetUnixFileMode(closed, GetEffectiveUserId() == 0 ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.None);

        var result = await RunAsync(["call", "list_saved_hunts"], new Dictionary<string, string?>
        {
            ["AZURE_TENANT_ID"] = Tenant,
            ["AZURE_CLIENT_ID"] = Client,
            ["AZURE_CLIENT_SECRET"] = "a-secret-value",
            [setting] = folder,
        });

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains($"{setting}: this user (", result.Output, StringComparison.Ordinal);
        Assert.Contains($"cannot enter the folder {closed};", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("folder not found", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_verify_of_a_file_the_user_cannot_read_says_so_and_exits_2()
    {
        SkipUnlessLinux();
        var file = UnreadableFile("{}\n");

        var result = await RunAsync(["audit", "verify", file], []);

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains("defender-mcp audit verify: this user (", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_in_a_folder_the_user_cannot_enter_is_named_so_not_missing()
    {
        SkipUnlessLinux();
        var closed = Directory.CreateDirectory(Path.Combine(_folder, "closed-" + Guid.NewGuid().ToString("N"))).FullName;
        var keys = Path.Combine(closed, "keys.json");
        var tenants = Path.Combine(closed, "tenants.json");
        var trust = Path.Combine(closed, "trust.pem");
        File.WriteAllText(trust, "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n");
        File.WriteAllText(keys, """{"keys": []}""");
        File.WriteAllText(tenants, """{"default": "a", "tenants": {"a": {"tenant_id": "x"}}}""");
        File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(tenants, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // Root's own 0700 folder is closed to nobody; this user's 0000 folder is closed to itself.
        File.SetUnixFileMode(closed, GetEffectiveUserId() == 0 ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.None);
        try
        {
            var list = await RunAsync(["keys", "list"], new Dictionary<string, string?> { ["DEFENDER_MCP_API_KEYS_FILE"] = keys });
            var start = await RunAsync([], new Dictionary<string, string?> { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = tenants });
            var trusting = await RunAsync([], new Dictionary<string, string?>
            {
                ["AZURE_TENANT_ID"] = Tenant,
                ["AZURE_CLIENT_ID"] = Client,
                ["AZURE_CLIENT_SECRET"] = "a-secret-value",
                ["DEFENDER_TLS_TRUST_CERT"] = trust,
            });

            Assert.True(list.ExitCode == 2, list.Output);
            Assert.Contains("cannot enter its folder", list.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("No API keys", list.Output, StringComparison.Ordinal);
            Assert.True(start.ExitCode == 2, start.Output);
            Assert.Contains($"MCP_DEFENDER_XDR_TENANTS_FILE: this user (", start.Output, StringComparison.Ordinal);
            Assert.Contains($"cannot enter the folder {closed}", start.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("file not found", start.Output, StringComparison.Ordinal);
            Assert.True(trusting.ExitCode == 2, trusting.Output);
            Assert.Contains($"DEFENDER_TLS_TRUST_CERT: this user (", trusting.Output, StringComparison.Ordinal);
            Assert.Contains($"cannot enter the folder {closed}", trusting.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n');

    private static void SkipUnlessLinux()
    {
        if (!OperatingSystem.IsLinux() || (GetEffectiveUserId() == 0 && !File.Exists("/usr/bin/setpriv")))
        {
            Assert.Skip("needs Linux, and setpriv when run as root (root reads every file, so the program runs as nobody)");
        }
    }

    // A 0600 file of root's (nobody cannot read it), or of this user's with mode 0000.
    private string UnreadableFile(string content)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, GetEffectiveUserId() == 0 ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.None);
        return path;
    }

    private Task<ProcessRunner.Result> RunAsync(string[] args, Dictionary<string, string?> environment, string? workingDirectory = null)
    {
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => (k.StartsWith("DEFENDER_", StringComparison.Ordinal) || k.StartsWith("AZURE_", StringComparison.Ordinal) || k.StartsWith("MCP_", StringComparison.Ordinal)) && !environment.ContainsKey(k)))
        {
            environment[name] = null;
        }

        if (GetEffectiveUserId() != 0)
        {
            return ProcessRunner.RunAsync("dotnet", [ServerProcess.DllPath, .. args], workingDirectory ?? AppContext.BaseDirectory, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken, environment);
        }

        environment["HOME"] = _program.Home;
        environment["DOTNET_CLI_HOME"] = _program.Home;
        return ProcessRunner.RunAsync("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", _program.DllPath, .. args], workingDirectory ?? _program.Folder, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken, environment);
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();
}
