using System.Diagnostics;
using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Policy;

// The confirmation token folder of `defender-mcp call`, through the MCP server against the emulator: a folder that
// cannot answer (open to others, or locked by another process past the bound) refuses the write as policy_denied with
// a message that says why, never an internal error or a hang; once it answers again, the same token confirms.
public sealed class SharedTokenFolderToolTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly string _dir = Path.Combine(Directory.CreateTempSubdirectory("defender-mcp-token-tool-").FullName, "tokens");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dir)!, recursive: true);

    private static Dictionary<string, object?> Comment(string? token = null)
    {
        var args = new Dictionary<string, object?> { ["incident_id"] = "4301", ["comment"] = "Token folder check" };
        if (token is not null)
        {
            args["confirmation_token"] = token;
        }

        return args;
    }

    private Task<ServerHarness> StartAsync() =>
        ServerHarness.StartAsync(fixture, s => s with { SharedTokenFolder = _dir }, ActionTier.Respond, ConfirmationMode.Token);

    [Fact]
    public async Task A_token_folder_open_to_others_refuses_the_write_as_policy_denied()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Directory.CreateDirectory(_dir);
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        await using var server = await StartAsync();

        var (code, message) = await server.CallErrorAsync("add_incident_comment", Comment());

        Assert.Equal("policy_denied", code);
        Assert.Contains("is open to other users", message, StringComparison.Ordinal);
        Assert.Contains("chmod 700", message, StringComparison.Ordinal);
        Assert.Contains("Nothing was sent to Defender", message, StringComparison.Ordinal);
        Assert.Contains("denied_state_unavailable", server.AuditWriter.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "confirmation.key")));
    }

    [Fact]
    public async Task A_lock_held_past_the_bound_refuses_the_confirmation_as_policy_denied_and_the_token_confirms_later()
    {
        await using var server = await StartAsync();
        var preview = await server.CallOkAsync("add_incident_comment", Comment());
        Assert.Equal("confirmation_required", preview.GetProperty("status").GetString());
        var token = preview.GetProperty("confirmation_token").GetString()!;

        using (new FileStream(Path.Combine(_dir, "confirmation.lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var waited = Stopwatch.StartNew();
            var (code, message) = await server.CallErrorAsync("add_incident_comment", Comment(token));
            waited.Stop();

            Assert.Equal("policy_denied", code);
            Assert.Contains("stayed locked for 5 s by another process (confirmation.lock)", message, StringComparison.Ordinal);
            Assert.InRange(waited.Elapsed, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15));
        }

        var done = await server.CallOkAsync("add_incident_comment", Comment(token));
        Assert.True(done.GetProperty("done").GetBoolean());

        var (replayCode, _) = await server.CallErrorAsync("add_incident_comment", Comment(token));
        Assert.Equal("confirmation_required", replayCode);
    }
}
