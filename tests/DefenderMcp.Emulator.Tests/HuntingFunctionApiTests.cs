using DefenderMcp.Emulator.Data;

namespace DefenderMcp.Emulator.Tests;

/// <summary>Through runHuntingQuery over HTTPS, FileProfile() says what GET /api/files/{sha1} says about the story's payload.</summary>
public sealed class HuntingFunctionApiTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task FileProfile_over_runHuntingQuery_agrees_with_the_file_api()
    {
        var graph = await fixture.SecretTokenAsync("contoso");
        var mde = await fixture.SecretTokenAsync("contoso", "https://api.securitycenter.microsoft.com/.default");

        var hunt = await fixture.HuntAsync($"DeviceFileEvents | where SHA1 == '{DataGenerator.PayloadSha1}' | take 1 | project SHA1 | invoke FileProfile()", graph);
        var file = await fixture.SendAsync(HttpMethod.Get, $"api/files/{DataGenerator.PayloadSha1}", mde);

        Assert.Equal(200, hunt.Status);
        var row = Assert.Single(hunt.Body.GetProperty("results").EnumerateArray());
        Assert.Equal(file.Json.GetProperty("globalPrevalence").GetInt32(), row.GetProperty("GlobalPrevalence").GetInt32());
        Assert.Equal(file.Json.GetProperty("sha256").GetString(), row.GetProperty("SHA256").GetString());
        Assert.Equal(file.Json.GetProperty("determinationValue").GetString(), row.GetProperty("ThreatName").GetString());
        Assert.Equal("Available", row.GetProperty("ProfileAvailability").GetString());
    }
}
