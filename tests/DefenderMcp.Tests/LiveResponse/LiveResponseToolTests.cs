using System.Security.Cryptography;
using System.Text.Json;
using DefenderMcp.Areas.LiveResponse;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Emulator.Data;
using DefenderMcp.Hosting;
using DefenderMcp.Tests.State;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.LiveResponse;

/// <summary>
/// The live-response tier through the SDK client with elicitation, against the emulator over HTTPS: scripts and their
/// output, files collected into a 0600 folder (hash checked against the emulator's bytes, caps, no binary content),
/// library-only puts and runs, protected devices, and which tiers list the tools (the one-session rule: LiveResponseSessionRuleTests).
/// </summary>
public sealed class LiveResponseToolTests(LiveResponseEmulatorFixture fixture) : IClassFixture<LiveResponseEmulatorFixture>
{
    private const string Victim = "ctso-fin-lt-011.contoso.com";
    private const string PayloadPath = @"C:\Users\adele.vance\AppData\Local\Temp\OneDriveUpdater.exe";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TempFolder Downloads()
    {
        var folder = new TempFolder();
        Directory.CreateDirectory(folder.Path);
        return folder;
    }


    private Task<ServerHarness> StartAsync(List<string> messages, TempFolder? downloads = null, Func<ServerSettings, ServerSettings>? configure = null, ActionTier tier = ActionTier.LiveResponse) =>
        ServerHarness.StartAsync(
            fixture.Emulator,
            s =>
            {
                s = s with
                {
                    ActionPollInterval = TimeSpan.FromMilliseconds(100),
                    LiveResponse = s.LiveResponse with { DownloadFolder = downloads?.Path },
                    Tenants = [.. s.Tenants.Select(t => t with { Policy = t.Policy with { MaxActionsPerHour = 100 } })],
                };
                return configure?.Invoke(s) ?? s;
            },
            tier,
            clientOptions: AcceptingClient.Options(messages));

    private async Task<int> ResultLinksAsync() =>
        (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Path.Contains("GetLiveResponseResultDownloadLink", StringComparison.Ordinal));

    private async Task<int> LiveResponsePostsAsync() =>
        (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST" && r.Path.EndsWith("/runliveresponse", StringComparison.Ordinal));

    [Fact]
    public async Task A_library_script_runs_after_one_confirmation_and_returns_its_output()
    {
        var messages = new List<string>();
        await using var server = await StartAsync(messages);
        var before = await LiveResponsePostsAsync();

        var result = await server.CallOkAsync("run_live_response_script", new() { ["device"] = Victim, ["script"] = "collect-triage.ps1", ["comment"] = "IR-7 triage" });

        Assert.Equal(before + 1, await LiveResponsePostsAsync());
        Assert.Equal("LiveResponse", result.GetProperty("type").GetString());
        var live = result.GetProperty("live_response");
        Assert.True(live.GetProperty("final").GetBoolean());
        Assert.Equal("Succeeded", live.GetProperty("status").GetString());
        var command = Assert.Single(live.GetProperty("commands").EnumerateArray());
        Assert.Equal(("RunScript", "Completed", 0), (command.GetProperty("type").GetString(), command.GetProperty("status").GetString(), command.GetProperty("exit_code").GetInt32()));
        var output = command.GetProperty("output").GetString()!;
        Assert.Contains("OneDriveUpdater", output, StringComparison.Ordinal);
        Assert.Contains("185.220.101.47", output, StringComparison.Ordinal);
        var message = Assert.Single(messages);
        Assert.Contains("run collect-triage.ps1", message, StringComparison.Ordinal);
        Assert.Contains(Victim, message, StringComparison.Ordinal);
        var audit = server.AuditLines().Last();
        Assert.Equal(("run_live_response_script", "elicitation_accepted"), (audit.GetProperty("tool").GetString(), audit.GetProperty("confirmation").GetString()));
        Assert.Equal(result.GetProperty("action_id").GetString(), audit.GetProperty("action_id").GetString());
    }

    [Fact]
    public async Task A_script_output_pages_through_get_live_response_result()
    {
        var messages = new List<string>();
        await using var server = await StartAsync(messages, configure: null);
        var run = await server.CallOkAsync("run_live_response_script", new() { ["device"] = "ctso-srv-file-01.contoso.com", ["script"] = "list-processes.ps1" });
        var actionId = run.GetProperty("action_id").GetString();
        var full = run.GetProperty("live_response").GetProperty("commands")[0].GetProperty("output").GetString()!;

        var first = await server.CallOkAsync("get_live_response_result", new() { ["action_id"] = actionId, ["command_index"] = 0, ["limit"] = 100 });
        var next = first.GetProperty("next_offset").GetInt32();
        var rest = await server.CallOkAsync("get_live_response_result", new() { ["action_id"] = actionId, ["command_index"] = 0, ["offset"] = next, ["limit"] = 20000 });

        Assert.Equal(100, next);
        Assert.Equal(full, first.GetProperty("command").GetProperty("output").GetString() + rest.GetProperty("command").GetProperty("output").GetString());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next_offset").ValueKind);

        // Only a page with more after it is truncated; the last page used to say truncated too.
        Assert.True(first.GetProperty("command").GetProperty("truncated").GetBoolean());
        Assert.False(rest.GetProperty("command").GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task A_long_script_output_is_clipped_inline_and_pages_whole_by_its_result_id()
    {
        await using var server = await StartAsync([]);
        var run = await server.CallOkAsync("run_live_response_script", new() { ["device"] = Victim, ["script"] = "list-services.ps1" });
        var command = run.GetProperty("live_response").GetProperty("commands")[0];
        var inline = command.GetProperty("output").GetString()!;
        var total = command.GetProperty("output_chars").GetInt32();
        var resultId = command.GetProperty("result_id").GetString()!;
        var downloads = await ResultLinksAsync();

        var lines = new List<string>();
        int? offset = 0;
        while (offset is { } next)
        {
            var page = await server.CallOkAsync("get_hunting_results", new() { ["result_id"] = resultId, ["offset"] = next, ["limit"] = 25 });
            Assert.Equal(["Stream", "Line", "Text"], page.GetProperty("schema").EnumerateArray().Select(c => c.GetProperty("Name").GetString()));
            foreach (var row in page.GetProperty("rows").EnumerateArray())
            {
                Assert.Equal(("output", lines.Count + 1), (row.GetProperty("Stream").GetString(), row.GetProperty("Line").GetInt32()));
                lines.Add(row.GetProperty("Text").GetString()!);
            }

            offset = page.GetProperty("next_offset").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_offset").GetInt32();
        }

        var whole = string.Join("\r\n", lines) + "\r\n";
        Assert.Equal(LiveResponseFollower.InlineOutputChars, inline.Length);
        Assert.True(command.GetProperty("truncated").GetBoolean());
        Assert.Equal(total, whole.Length);
        Assert.StartsWith(inline, whole, StringComparison.Ordinal);
        Assert.DoesNotContain("OneDriveUpdaterSvc", inline, StringComparison.Ordinal);
        Assert.Contains(@"OneDriveUpdaterSvc            C:\Users\adele.vance\AppData\Local\Temp\OneDriveUpdater.exe --service", whole, StringComparison.Ordinal);
        // Paging reads the server's cache: no new result link is asked of Defender.
        Assert.Equal(downloads, await ResultLinksAsync());
    }

    [Fact]
    public async Task A_sent_action_whose_follow_up_timed_out_says_it_was_not_resent_and_never_to_try_again()
    {
        await using var server = await StartAsync([], configure: s => new CallTimeouts(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)).ApplyTo(s));
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 0, DelayMs = 3000, PathPattern = "^/api/machineactions/", Method = "GET", Count = 0 }, Ct);
        try
        {
            var before = await LiveResponsePostsAsync();
            var result = await server.CallOkAsync("run_live_response_script", new() { ["device"] = "ctso-srv-file-01.contoso.com", ["script"] = "list-processes.ps1", ["wait_seconds"] = 30 });

            var note = result.GetProperty("live_response").GetProperty("note").GetString()!;
            Assert.StartsWith("The action was sent, but following it failed (", note, StringComparison.Ordinal);
            Assert.Contains("It was not resent", note, StringComparison.Ordinal);
            // The read's own advice is for reads: "try again" here would send a second live response.
            Assert.DoesNotContain("Try again", note, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(before + 1, await LiveResponsePostsAsync());
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task A_command_still_running_is_not_ready_and_an_offset_past_the_output_is_refused()
    {
        await using var server = await StartAsync([], configure: null);
        var started = await server.CallOkAsync("run_live_response_script", new() { ["device"] = "ctso-srv-file-01.contoso.com", ["script"] = "list-processes.ps1", ["wait_seconds"] = 0 });
        var actionId = started.GetProperty("action_id").GetString();

        var (code, message) = await server.CallErrorAsync("get_live_response_result", new() { ["action_id"] = actionId, ["command_index"] = 0 });
        Assert.Equal("not_ready", code);
        Assert.Contains("no result yet", message, StringComparison.Ordinal);

        await server.CallOkAsync("get_machine_action", new() { ["action_id"] = actionId, ["wait_seconds"] = 30 });
        var whole = await server.CallOkAsync("get_live_response_result", new() { ["action_id"] = actionId, ["command_index"] = 0 });
        var length = whole.GetProperty("command").GetProperty("output_chars").GetInt32();
        var (past, why) = await server.CallErrorAsync("get_live_response_result", new() { ["action_id"] = actionId, ["command_index"] = 0, ["offset"] = length });
        Assert.Equal("invalid_input", past);
        Assert.Contains($"at or past the end of the output ({length} characters)", why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_collected_binary_file_is_saved_0600_with_the_emulators_hash_and_no_content()
    {
        using var downloads = Downloads();
        await using var server = await StartAsync([], downloads);

        var result = await server.CallOkAsync("live_response_get_file", new() { ["device"] = Victim, ["path"] = PayloadPath });

        var file = result.GetProperty("live_response").GetProperty("file");
        var expected = DeviceFiles.Payload();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), file.GetProperty("sha256").GetString());
        Assert.Equal(expected.Length, file.GetProperty("size").GetInt64());
        Assert.False(file.GetProperty("is_text").GetBoolean());
        Assert.Equal(JsonValueKind.Null, file.GetProperty("content").ValueKind);
        var saved = file.GetProperty("saved_to").GetString()!;
        Assert.Equal(downloads.Path, Path.GetDirectoryName(saved));
        Assert.Equal(expected, await File.ReadAllBytesAsync(saved, Ct));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(saved));
        }
    }

    [Fact]
    public async Task Saving_a_collected_file_again_keeps_the_first_copy_and_writes_a_second_beside_it()
    {
        using var downloads = Downloads();
        await using var server = await StartAsync([], downloads);
        var collected = await server.CallOkAsync("live_response_get_file", new() { ["device"] = Victim, ["path"] = PayloadPath });
        var first = collected.GetProperty("live_response").GetProperty("file").GetProperty("saved_to").GetString()!;
        var actionId = collected.GetProperty("action_id").GetString();

        // The same command's result again: its file existed, and the save used to fail and delete it (evidence lost).
        var again = await server.CallOkAsync("get_live_response_result", new() { ["action_id"] = actionId, ["command_index"] = 0 });

        var second = again.GetProperty("file").GetProperty("saved_to").GetString()!;
        Assert.Equal(Path.GetFileNameWithoutExtension(first) + "-2" + Path.GetExtension(first), Path.GetFileName(second));
        Assert.Equal(DeviceFiles.Payload(), await File.ReadAllBytesAsync(first, Ct));
        Assert.Equal(DeviceFiles.Payload(), await File.ReadAllBytesAsync(second, Ct));
        var third = (await server.CallOkAsync("get_live_response_result", new() { ["action_id"] = actionId, ["command_index"] = 0 })).GetProperty("file").GetProperty("saved_to").GetString()!;
        Assert.EndsWith("-3" + Path.GetExtension(first), third, StringComparison.Ordinal);
        Assert.Equal(3, Directory.GetFiles(downloads.Path).Length);

        // An offset pages a script's output; for a file it used to be answered as offset 0, with a fourth copy saved.
        var (code, why) = await server.CallErrorAsync("get_live_response_result", new() { ["action_id"] = actionId, ["command_index"] = 0, ["offset"] = 100 });
        Assert.Equal("invalid_input", code);
        Assert.Contains("GetFile", why, StringComparison.Ordinal);
        Assert.Equal(3, Directory.GetFiles(downloads.Path).Length);
    }

    [Fact]
    public async Task The_collected_dropped_files_hash_finds_the_compromised_device_and_its_alerts()
    {
        using var downloads = Downloads();
        await using var server = await StartAsync([], downloads);

        var collected = (await server.CallOkAsync("live_response_get_file", new() { ["device"] = Victim, ["path"] = PayloadPath })).GetProperty("live_response").GetProperty("file");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(collected.GetProperty("saved_to").GetString()!, Ct)));
        var pivot = await server.CallOkAsync("get_file_info", new() { ["hash"] = sha256 });

        Assert.Equal(sha256, collected.GetProperty("sha256").GetString());
        Assert.Equal(DataGenerator.PayloadSha256, sha256);
        Assert.Equal("Malware", pivot.GetProperty("file").GetProperty("determination_type").GetString());
        Assert.Contains(Victim, pivot.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        var alerts = pivot.GetProperty("alerts").EnumerateArray().ToList();
        Assert.NotEmpty(alerts);
        Assert.All(alerts, a => Assert.Equal("4301", a.GetProperty("incident_id").GetString()));
    }

    [Fact]
    public async Task A_small_text_file_is_also_returned_as_text()
    {
        using var downloads = Downloads();
        await using var server = await StartAsync([], downloads);

        var result = await server.CallOkAsync("live_response_get_file", new() { ["device"] = "ctso-srv-file-01.contoso.com", ["path"] = @"C:\Windows\System32\drivers\etc\hosts" });

        var file = result.GetProperty("live_response").GetProperty("file");
        Assert.True(file.GetProperty("is_text").GetBoolean());
        Assert.Contains("localhost", file.GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_over_the_cap_is_refused_before_its_body_is_read_and_leaves_nothing()
    {
        using var downloads = Downloads();
        await using var server = await StartAsync([], downloads, s => s with { LiveResponse = s.LiveResponse with { MaxDownloadBytes = 1024 * 1024 } });

        var result = await server.CallOkAsync("live_response_get_file", new() { ["device"] = Victim, ["path"] = @"C:\Users\Public\lsass.dmp" });

        var live = result.GetProperty("live_response");
        Assert.Equal(JsonValueKind.Null, live.GetProperty("file").ValueKind);
        Assert.Contains($"{DeviceFiles.DumpBytes} bytes, over the 1048576-byte cap", live.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(downloads.Path));
    }

    [Fact]
    public async Task Without_a_download_folder_get_file_is_refused_before_any_request()
    {
        await using var server = await StartAsync([]);
        var before = await LiveResponsePostsAsync();

        var (code, message) = await server.CallErrorAsync("live_response_get_file", new() { ["device"] = Victim, ["path"] = PayloadPath });

        Assert.Equal("policy_denied", code);
        Assert.Contains(LiveResponseSettings.DownloadFolderVariable, message, StringComparison.Ordinal);
        Assert.Equal(before, await LiveResponsePostsAsync());
    }

    [Fact]
    public async Task A_library_file_is_put_and_a_file_outside_the_library_is_refused_before_any_request()
    {
        var messages = new List<string>();
        await using var server = await StartAsync(messages);
        var before = await LiveResponsePostsAsync();

        var notInLibrary = await server.CallErrorAsync("run_live_response_script", new() { ["device"] = Victim, ["script"] = "mimikatz.ps1" });
        var pathLike = await server.CallErrorAsync("live_response_put_file", new() { ["device"] = Victim, ["file"] = "../etc/passwd" });
        Assert.Equal(before, await LiveResponsePostsAsync());
        Assert.Empty(messages);

        var put = await server.CallOkAsync("live_response_put_file", new() { ["device"] = "ctso-eng-ws-025.contoso.com", ["file"] = "minidump.ps1" });

        Assert.Equal("invalid_input", notInLibrary.Code);
        Assert.Contains("not in the tenant's live-response library", notInLibrary.Message, StringComparison.Ordinal);
        Assert.Equal("invalid_input", pathLike.Code);
        var command = Assert.Single(put.GetProperty("live_response").GetProperty("commands").EnumerateArray());
        Assert.Equal(("PutFile", "Completed"), (command.GetProperty("type").GetString(), command.GetProperty("status").GetString()));
        Assert.Equal(before + 1, await LiveResponsePostsAsync());
    }

    [Fact]
    public async Task A_protected_device_is_refused_before_confirmation()
    {
        var messages = new List<string>();
        await using var server = await StartAsync(messages, configure: s => s with { Tenants = [.. s.Tenants.Select(t => t with { Policy = t.Policy with { ProtectedDevices = ["ctso-fin-lt-*"] } })] });
        var before = await LiveResponsePostsAsync();

        var (code, message) = await server.CallErrorAsync("run_live_response_script", new() { ["device"] = Victim, ["script"] = "collect-triage.ps1" });

        Assert.Equal("policy_denied", code);
        Assert.Contains("protected", message, StringComparison.Ordinal);
        Assert.Empty(messages);
        Assert.Equal(before, await LiveResponsePostsAsync());
        Assert.Equal("denied_protected", server.AuditLines().Last().GetProperty("policy_decision").GetString());
    }

    [Theory]
    [InlineData(ActionTier.Read)]
    [InlineData(ActionTier.Respond)]
    public async Task Read_and_respond_tenants_neither_list_nor_run_live_response(ActionTier tier)
    {
        await using var lower = await ServerHarness.StartAsync(fixture.Emulator, tier: tier);
        var tools = (await lower.Client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToList();
        // A server whose second tenant has the lower tier lists the tools, and refuses them there at call time.
        await using var mixed = await ServerHarness.StartAsync(
            fixture.Emulator,
            s => s with { Tenants = [s.Tenants[0], s.Tenants[1] with { Policy = s.Tenants[1].Policy with { Actions = tier } }] },
            ActionTier.LiveResponse,
            ConfirmationMode.None);
        var before = await LiveResponsePostsAsync();

        var (code, message) = await mixed.CallErrorAsync("run_live_response_script", new() { ["tenant"] = "fabrikam", ["device"] = "fbrk-fin-lt-011.fabrikam.com", ["script"] = "collect-triage.ps1" });
        await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() => lower.CallAsync("run_live_response_script", new() { ["device"] = Victim, ["script"] = "collect-triage.ps1" }));

        Assert.Contains("list_library_files", tools);
        Assert.DoesNotContain(tools, t => t is "run_live_response_script" or "live_response_get_file" or "live_response_put_file" or "get_live_response_result" or "upload_library_file" or "delete_library_file");
        Assert.Equal("policy_denied", code);
        Assert.Contains("live_response tier", message, StringComparison.Ordinal);
        Assert.Equal(before, await LiveResponsePostsAsync());
    }

    // The intended change to the golden files: the live-response tier's five tools are listed, and the previews of its
    // three writes are the documented runliveresponse body (Commands with lower-case type/params, then Comment).
    [Fact]
    public void The_golden_files_hold_the_live_response_tools_and_their_request_bodies()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Golden");
        var tools = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "tools-list.json"))).RootElement.EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        var previews = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "dry-run-previews.json"))).RootElement;

        Assert.Subset(tools.ToHashSet(), new HashSet<string?> { "list_library_files", "run_live_response_script", "live_response_get_file", "live_response_put_file", "get_live_response_result" });
        var run = previews.GetProperty("run_live_response_script").GetProperty("request");
        Assert.EndsWith("/runliveresponse", run.GetProperty("url").GetString(), StringComparison.Ordinal);
        var command = run.GetProperty("body").GetProperty("Commands")[0];
        Assert.Equal("RunScript", command.GetProperty("type").GetString());
        Assert.Equal(["ScriptName=minidump.ps1", "Args=OfficeClickToRun"], command.GetProperty("params").EnumerateArray().Select(p => $"{p.GetProperty("key").GetString()}={p.GetProperty("value").GetString()}"));
        Assert.Equal("GetFile", previews.GetProperty("live_response_get_file").GetProperty("request").GetProperty("body").GetProperty("Commands")[0].GetProperty("type").GetString());
    }
}
