using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Hunting;

// The ago() warning names the timespan the query was sent with: the result's own "timespan", never a rounded one.
public sealed class HuntingLookBackWarningTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Theory]
    [InlineData("PT25H", "ago(30h)", "P1DT1H", "P1DT6H")]
    [InlineData("PT36H", "ago(2d)", "P1DT12H", "P2D")]
    [InlineData("PT61M", "ago(90m)", "PT1H1M", "PT1H30M")]
    [InlineData("PT1S", "ago(1h)", "PT1S", "PT1H")]
    public async Task The_warning_names_the_timespan_of_the_result_and_one_that_covers_the_look_back(string timespan, string ago, string sent, string cover)
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = $"DeviceLogonEvents | where Timestamp > {ago} | count", ["timespan"] = timespan });
        var warning = Assert.Single(result.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!), w => w.StartsWith("The query looks back", StringComparison.Ordinal));

        Assert.Equal(sent, result.GetProperty("timespan").GetString());
        Assert.Contains($"but the timespan is {sent}:", warning, StringComparison.Ordinal);
        Assert.Contains($"pass timespan {cover} to search all of it", warning, StringComparison.Ordinal);

        // The suggested timespan does search all of it: the same query under it has no look-back warning.
        var covered = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = $"DeviceLogonEvents | where Timestamp > {ago} | count", ["timespan"] = cover });
        Assert.DoesNotContain(covered.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("The query looks back", StringComparison.Ordinal));
    }
}
