using System.Diagnostics;
using System.Text.Json;

namespace DefenderMcp.E2E;

/// <summary>
/// <c>defender-mcp call --demo</c> as a user tries writes: DEFENDER_CONFIRMATION=token gives a preview and a token,
/// the same call with <c>--confirmation-token</c> acts; DEFENDER_MCP_AUDIT_FILE is honoured in demo mode; an unknown
/// tool is one clear line and exit 2, not a stack trace.
/// </summary>
public sealed class CallCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-call-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Token_confirmation_in_demo_previews_then_acts_and_is_audited_to_the_file()
    {
        var audit = Path.Combine(_dir, "audit.jsonl");
        var args = new[] { "call", "add_incident_comment", "--demo", "--arg", "incident_id=4301", "--arg", "comment=Contained by the SOC" };

        var (previewCode, previewOut, previewErr) = await RunAsync(args, audit);
        Assert.True(previewCode == 0, previewErr);
        var preview = JsonDocument.Parse(previewOut).RootElement;
        Assert.Equal("confirmation_required", preview.GetProperty("status").GetString());
        var token = preview.GetProperty("confirmation_token").GetString()!;

        var (confirmCode, confirmOut, confirmErr) = await RunAsync([.. args, "--confirmation-token", token], audit);
        Assert.True(confirmCode == 0, confirmErr + confirmOut);
        Assert.Equal("4301", JsonDocument.Parse(confirmOut).RootElement.GetProperty("target").GetProperty("id").GetString());

        // Single use, also across processes.
        var (replayCode, replayOut, _) = await RunAsync([.. args, "--confirmation-token", token], audit);
        Assert.Equal(1, replayCode);
        Assert.Equal("confirmation_required", JsonDocument.Parse(replayOut).RootElement.GetProperty("error").GetProperty("code").GetString());

        var lines = await File.ReadAllLinesAsync(audit, TestContext.Current.CancellationToken);
        Assert.Contains(lines, l => l.Contains("\"confirmation\":\"token_issued\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"confirmation\":\"token\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"confirmation\":\"token_rejected\"", StringComparison.Ordinal));
        Assert.True(File.Exists(audit + ".head"));
    }

    [Theory]
    [InlineData("no_such_tool")]
    [InlineData("isolate_device", "--read-only")]
    public async Task An_unknown_or_hidden_tool_is_one_line_and_exit_2(string tool, string? flag = null)
    {
        // isolate_device exists but --read-only hides it: the same one line, nothing sent.
        var (code, stdout, stderr) = await RunAsync(["call", tool, "--demo", .. flag is null ? Array.Empty<string>() : [flag], "--arg", "device=ctso-fin-lt-011", "--arg", "comment=x"], null);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout.Trim());
        Assert.Contains($"no tool '{tool}' is available", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quoted_json_string_in_arg_is_its_value_not_its_quotes()
    {
        // A shell user writes --arg 'tenant="fabrikam"' to be sure the value is a string; --help says it is parsed as JSON.
        var (code, stdout, stderr) = await RunAsync(["call", "list_alerts", "--demo", "--arg", "tenant=\"fabrikam\"", "--arg", "severity=\"High\"", "--arg", "limit=2"], null);

        Assert.True(code == 0, stderr + stdout);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("fabrikam", result.GetProperty("tenant").GetString());
        Assert.All(result.GetProperty("alerts").EnumerateArray(), a => Assert.Equal("High", a.GetProperty("severity").GetString(), ignoreCase: true));
    }

    [Fact]
    public async Task Schedule_hunt_without_a_state_folder_is_refused_as_invalid_input_since_nothing_would_persist()
    {
        var (code, stdout, stderr) = await RunAsync(["call", "schedule_hunt", "--demo", "--arg", "name=phishing-clicks", "--arg", "every=PT15M"], null, confirmation: "none");

        Assert.True(code == 1, stdout + stderr);
        var error = JsonDocument.Parse(stdout).RootElement.GetProperty("error");
        Assert.Equal("invalid_input", error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("DEFENDER_MCP_STATE_DIR", message, StringComparison.Ordinal);
        Assert.Contains("would not persist", message, StringComparison.Ordinal);
        Assert.Contains("nothing was scheduled", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unschedule_hunt_without_a_state_folder_is_refused_instead_of_saying_the_hunt_was_not_scheduled()
    {
        var (code, stdout, stderr) = await RunAsync(["call", "unschedule_hunt", "--demo", "--arg", "name=phishing-clicks"], null, confirmation: "none");

        Assert.True(code == 1, stdout + stderr);
        var error = JsonDocument.Parse(stdout).RootElement.GetProperty("error");
        Assert.Equal("invalid_input", error.GetProperty("code").GetString());
        Assert.Contains("nothing was unscheduled", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_demo_confirmation_mode_exits_2_naming_the_variable()
    {
        var (code, _, stderr) = await RunAsync(["call", "list_alerts", "--demo"], null, confirmation: "maybe");

        Assert.Equal(2, code);
        Assert.Contains("DEFENDER_CONFIRMATION: must be elicitation, token or none", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_folder_locked_by_another_process_refuses_the_write_as_policy_denied_after_the_bound()
    {
        var cache = Path.Combine(_dir, "cache");
        var tokens = PrivateTokenFolder(cache);
        var args = new[] { "call", "add_incident_comment", "--demo", "--arg", "incident_id=4301", "--arg", "comment=Locked folder" };

        // This test process holds the folder's lock, as a stuck `call` would; the call waits about 5 s, then refuses.
        using (new FileStream(Path.Combine(tokens, "confirmation.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var waited = Stopwatch.StartNew();
            var (code, stdout, stderr) = await RunAsync(args, null, cacheHome: cache);
            waited.Stop();

            Assert.True(code == 1, stderr + stdout);
            var error = JsonDocument.Parse(stdout).RootElement.GetProperty("error");
            Assert.Equal("policy_denied", error.GetProperty("code").GetString());
            Assert.Contains("stayed locked for 5 s by another process (confirmation.lock)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.True(waited.Elapsed >= TimeSpan.FromSeconds(5), $"returned after {waited.Elapsed}");
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        }

        var (previewCode, previewOut, previewErr) = await RunAsync(args, null, cacheHome: cache);
        Assert.True(previewCode == 0, previewErr);
        Assert.Equal("confirmation_required", JsonDocument.Parse(previewOut).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_torn_key_file_is_replaced_with_a_warning_that_never_shows_the_key_and_tokens_work()
    {
        var cache = Path.Combine(_dir, "cache");
        var tokens = PrivateTokenFolder(cache);
        await File.WriteAllBytesAsync(Path.Combine(tokens, "confirmation.key"), [1, 2, 3], TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(tokens, "confirmation.spent.0a1b2c3d4e5f.tmp"), "17", TestContext.Current.CancellationToken);
        var args = new[] { "call", "add_incident_comment", "--demo", "--arg", "incident_id=4301", "--arg", "comment=Torn key" };

        var (previewCode, previewOut, previewErr) = await RunAsync(args, null, cacheHome: cache);
        Assert.True(previewCode == 0, previewErr);
        Assert.Contains("was 3 bytes instead of 32", previewErr, StringComparison.Ordinal);
        var key = await File.ReadAllBytesAsync(Path.Combine(tokens, "confirmation.key"), TestContext.Current.CancellationToken);
        Assert.Equal(32, key.Length);
        Assert.DoesNotContain(Convert.ToHexString(key), previewErr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(key), previewErr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(tokens, "*.tmp"));

        var token = JsonDocument.Parse(previewOut).RootElement.GetProperty("confirmation_token").GetString()!;
        var (confirmCode, confirmOut, confirmErr) = await RunAsync([.. args, "--confirmation-token", token], null, cacheHome: cache);
        Assert.True(confirmCode == 0, confirmErr + confirmOut);
        Assert.DoesNotContain("instead of 32", confirmErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Processes_writing_one_audit_file_at_once_keep_every_line_and_an_intact_chain()
    {
        // Each call process writes its line to the same file at about the same moment. They used
        // to write at the offsets each remembered, over one another's lines, and chain to their own last line.
        var audit = Path.Combine(_dir, "shared-audit.jsonl");
        var runs = Enumerable.Range(0, 5).Select(i => RunAsync(["call", "list_alerts", "--demo", "--arg", "limit=1", "--arg", "severity=" + (i % 2 == 0 ? "high" : "medium")], audit)).ToList();
        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.True(r.Code == 0, r.Stderr));
        var lines = await File.ReadAllLinesAsync(audit, TestContext.Current.CancellationToken);
        var events = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event").GetString()).ToList();
        Assert.Equal(Enumerable.Repeat("tool_call", 5), events);
        Assert.Null(DefenderMcp.Audit.AuditChain.Verify(lines));
        Assert.Equal(lines.Length, DefenderMcp.Audit.AuditHead.TryRead(DefenderMcp.Audit.AuditHead.PathFor(audit))!.Lines);
    }

    private static string PrivateTokenFolder(string cacheHome)
    {
        var tokens = Path.Combine(cacheHome, "defender-mcp", "demo-tokens");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(tokens);
        }
        else
        {
            Directory.CreateDirectory(tokens, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return tokens;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args, string? auditFile, string confirmation = "token", string? cacheHome = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var info = ServerProcess.StartInfo(args);
        info.Environment["DEFENDER_CONFIRMATION"] = confirmation;
        info.Environment["XDG_CACHE_HOME"] = cacheHome ?? Path.Combine(Path.GetTempPath(), "defender-mcp-e2e-cache");
        info.Environment.Remove("DEFENDER_MCP_STATE_DIR");
        if (auditFile is not null)
        {
            info.Environment["DEFENDER_MCP_AUDIT_FILE"] = auditFile;
        }

        return await ServerProcess.RunAsync(info, ct);
    }
}
