using System.Security.Cryptography;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Data;
using DefenderMcp.Hosting;
using DefenderMcp.Tests.State;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.LiveResponse;

// --demo's default download folder: private, made on first start, and what live_response_get_file saves into.
public sealed class DemoDownloadsTests(LiveResponseEmulatorFixture fixture) : IClassFixture<LiveResponseEmulatorFixture>
{
    [Fact]
    public async Task The_demo_folder_is_made_0700_and_the_dropped_file_is_collected_into_it()
    {
        using var home = new TempFolder();
        var folder = Path.Combine(home.Path, "defender-mcp", "demo-downloads");
        var notes = new List<string>();
        await using var server = await ServerHarness.StartAsync(
            fixture.Emulator,
            s => DemoDownloads.WithDefaultFolder(s with { ActionPollInterval = TimeSpan.FromMilliseconds(100) }, folder, notes),
            ActionTier.LiveResponse,
            ConfirmationMode.None);

        var result = await server.CallOkAsync("live_response_get_file", new() { ["device"] = "ctso-fin-lt-011.contoso.com", ["path"] = @"C:\Users\adele.vance\AppData\Local\Temp\OneDriveUpdater.exe" });

        Assert.Empty(notes);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        }

        var file = result.GetProperty("live_response").GetProperty("file");
        Assert.Equal(folder, Path.GetDirectoryName(file.GetProperty("saved_to").GetString()));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(DeviceFiles.Payload())), file.GetProperty("sha256").GetString());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_folder_others_can_open_is_not_used_and_a_configured_folder_wins()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix modes only");
        using var home = new TempFolder();
        var open = Directory.CreateDirectory(Path.Combine(home.Path, "open"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute).FullName;
        File.SetUnixFileMode(open, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var notes = new List<string>();
        var settings = new ServerSettings { Tenants = [], DefaultTenant = string.Empty };

        var refused = DemoDownloads.WithDefaultFolder(settings, open, notes);
        var configured = DemoDownloads.WithDefaultFolder(settings with { LiveResponse = settings.LiveResponse with { DownloadFolder = home.Path } }, open, notes);

        Assert.Null(refused.LiveResponse.DownloadFolder);
        Assert.Contains(notes, n => n.Contains("open to others", StringComparison.Ordinal));
        Assert.Equal(home.Path, configured.LiveResponse.DownloadFolder);
    }
}
