using System.Text.Json.Nodes;
using DefenderMcp.Policy;
using DefenderMcp.Tests.Hunting;

namespace DefenderMcp.Tests.Policy;

public sealed class SharedTokenFolderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Directory.CreateTempSubdirectory("defender-mcp-tokens-").FullName, "tokens");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dir)!, recursive: true);

    [Fact]
    public async Task A_token_issued_by_one_process_is_spent_once_by_another()
    {
        var time = new ManualTimeProvider();
        var args = new JsonObject { ["incident_id"] = "4301", ["comment"] = "x" };
        var first = new ConfirmationTokens(time, TimeSpan.FromMinutes(5), SharedTokenFolder.TryOpen(_dir));
        var second = new ConfirmationTokens(time, TimeSpan.FromMinutes(5), SharedTokenFolder.TryOpen(_dir));
        var isolated = new ConfirmationTokens(time, TimeSpan.FromMinutes(5));

        var ct = TestContext.Current.CancellationToken;
        var (token, _) = await first.IssueAsync("add_incident_comment", "contoso", null, args, ct);

        Assert.False(await isolated.TryRedeemAsync(token, "add_incident_comment", "contoso", null, args, ct));
        Assert.False(await second.TryRedeemAsync(token, "add_incident_comment", "fabrikam", null, args, ct));
        Assert.True(await second.TryRedeemAsync(token, "add_incident_comment", "contoso", null, args, ct));
        Assert.False(await first.TryRedeemAsync(token, "add_incident_comment", "contoso", null, args, ct));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "confirmation.key")));
        }
    }

    [Fact]
    public void A_folder_others_can_read_is_not_used()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Directory.CreateDirectory(_dir);
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        Assert.Null(SharedTokenFolder.TryOpen(_dir));
    }
}
