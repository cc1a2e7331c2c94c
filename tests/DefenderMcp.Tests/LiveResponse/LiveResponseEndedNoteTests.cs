using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.LiveResponse;

// A live response that ends Failed is still a sent action ("done": true), so the result must say in words that its
// command did not complete and why; before, "note" was null and only the nested statuses told.
public sealed class LiveResponseEndedNoteTests(LiveResponseEmulatorFixture fixture) : IClassFixture<LiveResponseEmulatorFixture>
{
    [Fact]
    public async Task A_get_file_of_a_missing_file_notes_that_it_failed_and_why()
    {
        var downloads = Directory.CreateTempSubdirectory("defender-mcp-ended-note-");
        try
        {
            await using var server = await ServerHarness.StartAsync(
                fixture.Emulator,
                s => s with { ActionPollInterval = TimeSpan.FromMilliseconds(100), LiveResponse = s.LiveResponse with { DownloadFolder = downloads.FullName } },
                ActionTier.LiveResponse,
                ConfirmationMode.None);

            var result = await server.CallOkAsync("live_response_get_file", new() { ["device"] = "ctso-hr-lt-018.contoso.com", ["path"] = @"C:\no\such\file.txt" });

            var live = result.GetProperty("live_response");
            Assert.Equal(("Failed", true), (live.GetProperty("status").GetString(), live.GetProperty("final").GetBoolean()));
            Assert.Equal(System.Text.Json.JsonValueKind.Null, live.GetProperty("file").ValueKind);
            Assert.Equal(
                "The live response ended Failed on the device: File was not found on the machine. Its command did not complete: read the command's errors (and a script's output), fix what they name and call again, which sends a new action counted against the budget.",
                live.GetProperty("note").GetString());
            Assert.Empty(Directory.GetFiles(downloads.FullName));
        }
        finally
        {
            downloads.Delete(recursive: true);
        }
    }
}
