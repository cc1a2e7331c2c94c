using DefenderMcp.Emulator.Data;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Hunting;

/// <summary>
/// The documented hunting functions through query_advanced_hunting against the emulator's contoso story: the guard
/// knows them (no warning) and the emulator runs them (FileProfile, AssignedIPAddresses, DeviceFromIP); one it does
/// not run is the service's clear 400, returned as an error naming it.
/// </summary>
public sealed class HuntingFunctionToolTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Victim = "ctso-fin-lt-011.contoso.com";

    [Fact]
    public async Task FileProfile_AssignedIPAddresses_and_DeviceFromIP_run_without_guard_warnings()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var profile = await server.CallOkAsync("query_advanced_hunting", new()
        {
            ["query"] = $"DeviceFileEvents | where Timestamp > ago(7d) and SHA1 == '{DataGenerator.PayloadSha1}' | project Timestamp, DeviceName, SHA1 | invoke FileProfile(SHA1, 10) | where GlobalPrevalence < 15",
            ["timespan"] = "P7D",
        });
        var assigned = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = $"AssignedIPAddresses('{Victim}', ago(1d)) | project DeviceName, IPAddress, AssignedTime = Timestamp" });
        var ip = assigned.GetProperty("rows")[0].GetProperty("IPAddress").GetString();
        var fromIp = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = $"DeviceInfo | where Timestamp > ago(1d) | take 1 | project IP = '{ip}' | invoke DeviceFromIP()" });

        Assert.Equal(2, profile.GetProperty("rows").GetArrayLength());
        Assert.All(profile.GetProperty("rows").EnumerateArray(), r => Assert.Equal("Trojan:Win32/Emulated.A!dha", r.GetProperty("ThreatName").GetString()));
        Assert.Equal(Victim, assigned.GetProperty("rows")[0].GetProperty("DeviceName").GetString());
        Assert.Single(fromIp.GetProperty("rows").EnumerateArray());
        Assert.Empty(profile.GetProperty("warnings").EnumerateArray());
        Assert.Empty(assigned.GetProperty("warnings").EnumerateArray());
        Assert.Empty(fromIp.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task A_function_the_emulator_does_not_run_is_an_error_naming_it()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var (code, message) = await server.CallErrorAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | where Timestamp > ago(1d) | project DeviceId | invoke SeenBy()" });

        Assert.Equal("query_failed", code);
        Assert.Contains("SeenBy", message, StringComparison.Ordinal);
    }
}
