using System.Security.Cryptography;
using DefenderMcp.Emulator.Data;

namespace DefenderMcp.Emulator.Tests.Data;

/// <summary>
/// The dropped file is one thing: the bytes live response collects from the compromised laptop and the file server
/// hash to what the story's alerts, hunting rows and file pivots name, and the same bytes come back every time.
/// </summary>
public sealed class DroppedFileTests
{
    private static readonly StoryDevice Victim = new("ctso-fin-lt-011.contoso.com", IsVictim: true, IsServer: false);
    private static readonly StoryDevice Server = new("ctso-srv-file-01.contoso.com", IsVictim: false, IsServer: true);

    [Fact]
    public void The_collected_payload_hashes_to_the_story_hashes_and_size()
    {
        var bytes = DeviceFiles.Content(Victim, $@"C:\Users\adele.vance\AppData\Local\Temp\{DataGenerator.PayloadName}", "adele.vance")!;

        Assert.Equal(DataGenerator.PayloadSha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(DataGenerator.PayloadSha1, Convert.ToHexStringLower(SHA1.HashData(bytes)));
        Assert.Equal(DataGenerator.PayloadSize, bytes.Length);
        Assert.Equal("MZ"u8.ToArray(), bytes[..2]);
    }

    [Fact]
    public void The_copy_on_the_file_server_is_the_same_file_and_other_devices_have_none()
    {
        var copy = DeviceFiles.Content(Server, $@"C:\ProgramData\{DataGenerator.PayloadName}", "adele.vance")!;
        var bystander = new StoryDevice("ctso-eng-ws-025.contoso.com", IsVictim: false, IsServer: false);

        Assert.Equal(DataGenerator.PayloadSha256, Convert.ToHexStringLower(SHA256.HashData(copy)));
        Assert.Null(DeviceFiles.Content(bystander, $@"C:\Users\adele.vance\AppData\Local\Temp\{DataGenerator.PayloadName}", "adele.vance"));
    }

    [Fact]
    public void The_story_file_evidence_names_the_payload_by_those_hashes()
    {
        var data = DataGenerator.Generate(TestTenants.Tenant("contoso"), 0, new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc));

        var files = data.Alerts.SelectMany(MdeAlertView.Evidence).Select(e => e["fileDetails"]).OfType<System.Text.Json.Nodes.JsonObject>().Where(f => f["fileName"]?.GetValue<string>() == DataGenerator.PayloadName).ToList();

        Assert.Equal(2, files.Count);
        Assert.All(files, f => Assert.Equal((DataGenerator.PayloadSha256, DataGenerator.PayloadSize), (f["sha256"]!.GetValue<string>(), f["fileSize"]!.GetValue<int>())));
    }
}
