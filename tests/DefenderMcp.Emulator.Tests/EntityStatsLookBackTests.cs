using System.Globalization;
using System.Text.Json;
using DefenderMcp.Emulator.Data;

namespace DefenderMcp.Emulator.Tests;

/// <summary>
/// The file, IP and domain stats count only the sightings of their <c>lookBackHours</c> (defender-api.md §3.12), as a
/// hunt over the same hours does; a value outside 1 to 720 is a 400 <c>InvalidInput</c> on all three.
/// </summary>
public sealed class EntityStatsLookBackTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    // The contoso story starts 20 hours before the emulator does, so windows either side of it see different devices.
    private static readonly int[] Windows = [1, 6, 12, 18, 19, 20, 21, 24, 72, 168, 720];

    public static TheoryData<string, string> Entities => new()
    {
        { $"api/files/{DataGenerator.Hex("cmd.exe", 20)}/stats", $"union DeviceFileEvents, DeviceProcessEvents | where SHA1 == '{DataGenerator.Hex("cmd.exe", 20)}'" },
        { $"api/files/{DataGenerator.PayloadSha1}/stats", $"union DeviceFileEvents, DeviceProcessEvents | where SHA1 == '{DataGenerator.PayloadSha1}'" },
        { "api/ips/185.220.101.47/stats", "union (DeviceNetworkEvents | where RemoteIP == '185.220.101.47'), (DeviceFileEvents | where FileOriginIP == '185.220.101.47')" },
        { "api/domains/contoso-payroll-update.com/stats", "union (DeviceNetworkEvents | where RemoteUrl contains 'contoso-payroll-update.com'), (DeviceProcessEvents | where ProcessCommandLine contains 'contoso-payroll-update.com')" },
    };

    public static TheoryData<string, string> BadLookBacks
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var path in new[] { $"api/files/{DataGenerator.PayloadSha1}/stats", "api/ips/185.220.101.47/stats", "api/domains/contoso-payroll-update.com/stats" })
            {
                foreach (var value in new[] { "0", "-1", "721", "99999", "1.5", "abc" })
                {
                    data.Add(path, value);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Entities))]
    public async Task Stats_count_the_devices_a_hunt_over_the_same_hours_finds(string path, string hunt)
    {
        var mde = await fixture.SecretTokenAsync("contoso", "https://api.securitycenter.microsoft.com/.default");
        var graph = await fixture.SecretTokenAsync("contoso");
        var prevalences = new List<int>();

        foreach (var hours in Windows)
        {
            var stats = await fixture.SendAsync(HttpMethod.Get, $"{path}?lookBackHours={hours}", mde);
            var (status, body) = await fixture.HuntAsync($"{hunt} | summarize Devices = dcount(DeviceId), First = min(Timestamp), Last = max(Timestamp)", graph, $"PT{hours}H");

            Assert.Equal(200, stats.Status);
            Assert.Equal(200, status);
            var row = body.GetProperty("results").EnumerateArray().FirstOrDefault();
            var devices = row.ValueKind == JsonValueKind.Object ? row.GetProperty("Devices").GetInt32() : 0;
            Assert.True(devices == stats.Json.GetProperty("organizationPrevalence").GetInt32(), $"{path}?lookBackHours={hours}: the stats say {stats.Json.GetProperty("organizationPrevalence")} devices, a hunt over {hours}h finds {devices}");
            Assert.Equal(devices == 0 ? null : Time(row.GetProperty("First")), Time(stats.Json.GetProperty("orgFirstSeen")));
            Assert.Equal(devices == 0 ? null : Time(row.GetProperty("Last")), Time(stats.Json.GetProperty("orgLastSeen")));
            prevalences.Add(devices);
        }

        // The windows must see different numbers of devices, or this test could not tell a window from none.
        Assert.True(prevalences.Distinct().Count() > 1, $"{path}: every window saw {prevalences[0]} devices");
    }

    [Fact]
    public async Task Without_lookBackHours_the_stats_cover_720_hours()
    {
        var mde = await fixture.SecretTokenAsync("contoso", "https://api.securitycenter.microsoft.com/.default");
        var path = $"api/files/{DataGenerator.Hex("cmd.exe", 20)}/stats";

        var unset = await fixture.SendAsync(HttpMethod.Get, path, mde);
        var full = await fixture.SendAsync(HttpMethod.Get, $"{path}?lookBackHours=720", mde);

        Assert.Equal(200, unset.Status);
        Assert.Equal(full.Json.GetProperty("organizationPrevalence").GetInt32(), unset.Json.GetProperty("organizationPrevalence").GetInt32());
        Assert.Equal(full.Json.GetProperty("orgFirstSeen").GetString(), unset.Json.GetProperty("orgFirstSeen").GetString());
    }

    [Theory]
    [MemberData(nameof(BadLookBacks))]
    public async Task A_lookBackHours_outside_1_to_720_is_InvalidInput(string path, string value)
    {
        var mde = await fixture.SecretTokenAsync("contoso", "https://api.securitycenter.microsoft.com/.default");

        var reply = await fixture.SendAsync(HttpMethod.Get, $"{path}?lookBackHours={value}", mde);

        Assert.Equal(400, reply.Status);
        Assert.Equal("InvalidInput", reply.ErrorCode);
        Assert.Contains("1 to 720", reply.Json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static DateTime? Time(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? DateTime.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) : null;
}
