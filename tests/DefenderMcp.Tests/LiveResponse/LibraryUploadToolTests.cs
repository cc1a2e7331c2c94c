using System.Security.Cryptography;
using System.Text;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Tests.State;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.LiveResponse;

/// <summary>
/// upload_library_file and delete_library_file through the SDK client with elicitation, against the emulator over
/// HTTPS: a file from the upload folder is confirmed with its hash, stored, listed, runnable and audited with its
/// SHA-256; anything outside the folder (.., absolute paths elsewhere, symbolic links), a missing or oversized file,
/// or no folder at all is refused before any request; a dry run sends nothing; a confirmation token is bound to the bytes.
/// </summary>
public sealed class LibraryUploadToolTests(LiveResponseEmulatorFixture fixture) : IClassFixture<LiveResponseEmulatorFixture>, IDisposable
{
    private const string Victim = "ctso-fin-lt-011.contoso.com";
    private static readonly byte[] Script = Encoding.UTF8.GetBytes("# Collects autoruns\r\nGet-CimInstance Win32_StartupCommand\r\n");

    private readonly TempFolder _home = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Uploads => Path.Combine(_home.Path, "uploads");

    public void Dispose() => _home.Dispose();

    // An upload folder holding one script named uniquely for the test (the fixture's library is shared by the class).
    private string NewScript(byte[]? content = null)
    {
        Directory.CreateDirectory(Uploads);
        var name = $"autoruns-{Guid.NewGuid():N}.ps1";
        File.WriteAllBytes(Path.Combine(Uploads, name), content ?? Script);
        return name;
    }

    private Task<ServerHarness> StartAsync(List<string> messages, bool folder = true, ConfirmationMode confirmation = ConfirmationMode.Elicitation) =>
        ServerHarness.StartAsync(
            fixture.Emulator,
            s => s with
            {
                ActionPollInterval = TimeSpan.FromMilliseconds(100),
                LiveResponse = s.LiveResponse with { UploadFolder = folder ? Uploads : null },
                Tenants = [.. s.Tenants.Select(t => t with { Policy = t.Policy with { MaxActionsPerHour = 100 } })],
            },
            ActionTier.LiveResponse,
            confirmation,
            AcceptingClient.Options(messages));

    private async Task<int> LibraryWritesAsync() =>
        (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method is "POST" or "DELETE" && r.Path.StartsWith("/api/libraryfiles", StringComparison.Ordinal));

    [Fact]
    public async Task A_file_from_the_upload_folder_is_confirmed_with_its_hash_stored_listed_runnable_and_audited()
    {
        var messages = new List<string>();
        var name = NewScript();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Script));
        await using var server = await StartAsync(messages);
        var before = await LibraryWritesAsync();

        var result = await server.CallOkAsync("upload_library_file", new() { ["path"] = name, ["description"] = "Autoruns for triage" });
        var listed = (await server.CallOkAsync("list_library_files")).GetProperty("files").EnumerateArray().Single(f => f.GetProperty("file_name").GetString() == name);
        var audit = server.AuditLines().Last(l => l.GetProperty("tool").GetString() == "upload_library_file");
        var run = await server.CallOkAsync("run_live_response_script", new() { ["device"] = Victim, ["script"] = name });

        Assert.Equal(before + 1, await LibraryWritesAsync());
        Assert.Equal((true, "uploaded", sha256, (long)Script.Length), (result.GetProperty("done").GetBoolean(), result.GetProperty("status").GetString(), result.GetProperty("sha256").GetString(), result.GetProperty("bytes").GetInt64()));
        Assert.Equal((name, sha256, "Autoruns for triage"), (result.GetProperty("library_file").GetProperty("file_name").GetString(), result.GetProperty("library_file").GetProperty("sha256").GetString(), listed.GetProperty("description").GetString()));
        Assert.Equal(sha256, listed.GetProperty("sha256").GetString());
        Assert.False(result.TryGetProperty("note", out _));
        var message = messages[0];
        Assert.Contains(name, message, StringComparison.Ordinal);
        Assert.Contains(sha256, message, StringComparison.Ordinal);
        Assert.Contains("/api/libraryfiles", message, StringComparison.Ordinal);
        Assert.Equal(("elicitation_accepted", name), (audit.GetProperty("confirmation").GetString(), audit.GetProperty("action_id").GetString()));
        Assert.Equal((sha256, (long)Script.Length), (audit.GetProperty("params").GetProperty("file_sha256").GetString(), audit.GetProperty("params").GetProperty("file_bytes").GetInt64()));
        Assert.Equal("Completed", run.GetProperty("live_response").GetProperty("commands")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_name_already_in_the_library_is_refused_before_confirmation_and_budget_unless_override_is_given()
    {
        var messages = new List<string>();
        var name = NewScript();
        await using var server = await StartAsync(messages);
        await server.CallOkAsync("upload_library_file", new() { ["path"] = name });
        var budget = (await server.CallOkAsync("get_server_status")).GetProperty("actions_left_this_hour").GetInt32();
        var before = await LibraryWritesAsync();

        var (code, message) = await server.CallErrorAsync("upload_library_file", new() { ["path"] = name });

        Assert.Equal("invalid_input", code);
        Assert.Contains($"'{name}' is already in the tenant's live-response library (SHA-256 ", message, StringComparison.Ordinal);
        Assert.Contains("override: true", message, StringComparison.Ordinal);
        Assert.Single(messages);
        Assert.Equal(before, await LibraryWritesAsync());
        Assert.Equal(budget, (await server.CallOkAsync("get_server_status")).GetProperty("actions_left_this_hour").GetInt32());

        var replaced = await server.CallOkAsync("upload_library_file", new() { ["path"] = name, ["override"] = true });
        Assert.Equal("uploaded", replaced.GetProperty("status").GetString());
        Assert.Equal(before + 1, await LibraryWritesAsync());
    }

    [Fact]
    public async Task Paths_outside_the_folder_links_and_missing_or_oversized_files_are_refused_before_any_request()
    {
        var messages = new List<string>();
        var inside = NewScript();
        var outside = Path.Combine(_home.Path, "outside.ps1");
        File.WriteAllBytes(outside, Script);
        File.CreateSymbolicLink(Path.Combine(Uploads, "link.ps1"), outside);
        Directory.CreateDirectory(Path.Combine(_home.Path, "elsewhere"));
        File.WriteAllBytes(Path.Combine(_home.Path, "elsewhere", "tool.ps1"), Script);
        Directory.CreateSymbolicLink(Path.Combine(Uploads, "linked-dir"), Path.Combine(_home.Path, "elsewhere"));
        using (var big = File.Create(Path.Combine(Uploads, "big.bin")))
        {
            big.SetLength(DefenderClient.MaxLibraryFileBytes + 1);
        }

        await using var server = await StartAsync(messages);
        var before = await LibraryWritesAsync();

        var refusals = new Dictionary<string, (string Code, string Message)>();
        foreach (var path in new[] { "../outside.ps1", $"sub/../../outside.ps1", outside, "/etc/hosts", "link.ps1", "linked-dir/tool.ps1", "missing.ps1", "big.bin", "." })
        {
            refusals[path] = await server.CallErrorAsync("upload_library_file", new() { ["path"] = path });
        }

        Assert.Equal(before, await LibraryWritesAsync());
        Assert.Empty(messages);
        Assert.All(new[] { "../outside.ps1", "sub/../../outside.ps1", outside, "/etc/hosts", "." }, p => Assert.Equal(("policy_denied", true), (refusals[p].Code, refusals[p].Message.Contains("outside the library upload folder", StringComparison.Ordinal))));
        Assert.All(new[] { "link.ps1", "linked-dir/tool.ps1" }, p => Assert.Equal(("policy_denied", true), (refusals[p].Code, refusals[p].Message.Contains("symbolic link", StringComparison.Ordinal))));
        Assert.Equal("invalid_input", refusals["missing.ps1"].Code);
        Assert.Equal("invalid_input", refusals["big.bin"].Code);
        Assert.Contains("20 MB", refusals["big.bin"].Message, StringComparison.Ordinal);
        Assert.Contains(server.AuditLines(), l => l.GetProperty("tool").GetString() == "upload_library_file" && l.GetProperty("policy_decision").GetString() == "denied_link");
        Assert.Equal(inside, (await server.CallOkAsync("upload_library_file", new() { ["path"] = Path.Combine(Uploads, inside), ["dry_run"] = true })).GetProperty("target").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Without_an_upload_folder_nothing_is_read_or_sent()
    {
        var messages = new List<string>();
        await using var server = await StartAsync(messages, folder: false);
        var before = await LibraryWritesAsync();

        var (code, message) = await server.CallErrorAsync("upload_library_file", new() { ["path"] = "anything.ps1" });

        Assert.Equal("policy_denied", code);
        Assert.Contains(LiveResponseSettings.UploadFolderVariable, message, StringComparison.Ordinal);
        Assert.Equal(before, await LibraryWritesAsync());
        Assert.Equal("denied_no_folder", server.AuditLines().Last().GetProperty("policy_decision").GetString());
    }

    [Fact]
    public async Task A_dry_run_shows_the_form_and_the_files_hash_and_sends_nothing()
    {
        var name = NewScript();
        await using var server = await StartAsync([]);
        var before = await LibraryWritesAsync();

        var preview = await server.CallOkAsync("upload_library_file", new() { ["path"] = name, ["parameters_description"] = "Computer name", ["override"] = true, ["dry_run"] = true });

        Assert.Equal(before, await LibraryWritesAsync());
        var request = preview.GetProperty("request");
        Assert.Equal("POST", request.GetProperty("method").GetString());
        var form = request.GetProperty("body").GetProperty("multipart/form-data");
        Assert.Equal((name, Convert.ToHexStringLower(SHA256.HashData(Script))), (form.GetProperty("file").GetProperty("fileName").GetString(), form.GetProperty("file").GetProperty("sha256").GetString()));
        Assert.Equal(("true", "true", "Computer name"), (form.GetProperty("HasParameters").GetString(), form.GetProperty("OverrideIfExists").GetString(), form.GetProperty("ParametersDescription").GetString()));
        Assert.Contains("replacing", preview.GetProperty("action").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confirmation_token_is_bound_to_the_bytes_previewed()
    {
        var name = NewScript();
        await using var server = await StartAsync([], confirmation: ConfirmationMode.Token);
        var before = await LibraryWritesAsync();

        var preview = await server.CallOkAsync("upload_library_file", new() { ["path"] = name });
        await File.WriteAllTextAsync(Path.Combine(Uploads, name), "Invoke-Something-Else\r\n", Ct);
        var (code, message) = await server.CallErrorAsync("upload_library_file", new() { ["path"] = name, ["confirmation_token"] = preview.GetProperty("confirmation_token").GetString() });

        Assert.Equal("confirmation_required", preview.GetProperty("status").GetString());
        Assert.Equal("confirmation_required", code);
        Assert.Contains("for an upload, a file that changed since the preview", message, StringComparison.Ordinal);
        Assert.Equal(before, await LibraryWritesAsync());
    }

    [Fact]
    public async Task A_library_file_is_deleted_after_one_confirmation_and_a_missing_one_is_refused_before_any_request()
    {
        var messages = new List<string>();
        var name = NewScript();
        await using var server = await StartAsync(messages);
        await server.CallOkAsync("upload_library_file", new() { ["path"] = name });
        var before = await LibraryWritesAsync();

        var deleted = await server.CallOkAsync("delete_library_file", new() { ["file"] = name });
        var missing = await server.CallErrorAsync("delete_library_file", new() { ["file"] = name });

        Assert.Equal(before + 1, await LibraryWritesAsync());
        Assert.Equal(("deleted", name), (deleted.GetProperty("status").GetString(), deleted.GetProperty("deleted_ids")[0].GetString()));
        Assert.Equal(2, messages.Count);
        Assert.Contains($"Delete {name}", messages[1], StringComparison.Ordinal);
        Assert.Equal("invalid_input", missing.Code);
        Assert.DoesNotContain((await server.CallOkAsync("list_library_files")).GetProperty("files").EnumerateArray(), f => f.GetProperty("file_name").GetString() == name);
    }
}
