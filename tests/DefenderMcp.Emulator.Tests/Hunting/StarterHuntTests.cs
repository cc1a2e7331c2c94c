using System.Text.RegularExpressions;

namespace DefenderMcp.Emulator.Tests.Hunting;

/// <summary>Every starter hunt the server ships runs in the emulator, over the API, on both story tenants.</summary>
public sealed partial class StarterHuntTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "StarterHunts");

    [GeneratedRegex(@"^// timespan: (\S+)", RegexOptions.Multiline)]
    private static partial Regex TimespanHeader();

    public static TheoryData<string> Hunts() => [.. Directory.EnumerateFiles(Folder, "*.kql").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void The_starter_pack_is_linked_in() => Assert.True(Hunts().Count >= 13, $"only {Hunts().Count} hunts in {Folder}");

    [Theory]
    [MemberData(nameof(Hunts))]
    public async Task Each_starter_hunt_runs_with_a_200(string hunt)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Folder, hunt + ".kql"), TestContext.Current.CancellationToken);
        var timespan = TimespanHeader().Match(text) is { Success: true } m ? m.Groups[1].Value : "P30D";

        foreach (var tenant in new[] { "contoso", "fabrikam" })
        {
            var (status, body) = await fixture.HuntAsync(text, await fixture.SecretTokenAsync(tenant), timespan);

            Assert.True(status == 200, $"{hunt} on {tenant}: {status} {body}");
            Assert.True(body.GetProperty("schema").GetArrayLength() > 0, $"{hunt} on {tenant} has no columns");
        }
    }

    [Fact]
    public async Task The_join_hunt_finds_the_story_cradle_and_its_server_on_each_tenant()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Folder, "encoded-powershell-c2.kql"), TestContext.Current.CancellationToken);

        foreach (var (tenant, attacker, user) in new[] { ("contoso", "185.220.101.47", "adele.vance"), ("fabrikam", "91.219.236.18", "jonas.berg") })
        {
            var (status, body) = await fixture.HuntAsync(text, await fixture.SecretTokenAsync(tenant), "P7D");

            Assert.Equal(200, status);
            var row = Assert.Single(body.GetProperty("results").EnumerateArray());
            Assert.Equal(attacker, row.GetProperty("RemoteIP").GetString());
            Assert.Equal(user, row.GetProperty("AccountName").GetString());
            Assert.Equal(80, row.GetProperty("RemotePort").GetInt32());
        }
    }
}
