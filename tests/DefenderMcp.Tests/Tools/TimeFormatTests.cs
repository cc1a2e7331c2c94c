using System.Text.Json;
using System.Text.RegularExpressions;
using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// One moment reads the same in every tool: an incident's, alert's, device's or indicator's time is UTC with a Z, as
/// the hunting rows and machine actions give it (they were +00:00 beside the hunting rows' Z).
/// </summary>
public sealed partial class TimeFormatTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")]
    private static partial Regex IsoTime();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$")]
    private static partial Regex UtcZ();

    private static IEnumerable<(string Path, string Value)> Times(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    foreach (var t in Times(p.Value, $"{path}.{p.Name}"))
                    {
                        yield return t;
                    }
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var t in Times(item, $"{path}[{i++}]"))
                    {
                        yield return t;
                    }
                }

                break;
            case JsonValueKind.String when IsoTime().IsMatch(element.GetString()!):
                yield return (path, element.GetString()!);
                break;
        }
    }

    [Fact]
    public async Task Every_time_field_of_the_investigation_and_a_write_preview_is_utc_with_a_z()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.Token);
        var results = new List<JsonElement>
        {
            await server.CallOkAsync("get_incident", new() { ["incident_id"] = "4301" }),
            await server.CallOkAsync("list_alerts", new() { ["limit"] = 5 }),
            await server.CallOkAsync("get_file_info", new() { ["hash"] = "ecb2a5847841bc1130fb401405cf8114a2b2621e" }),
            await server.CallOkAsync("get_device", new() { ["device"] = "ctso-fin-lt-011" }),
            await server.CallOkAsync("get_device_logon_users", new() { ["device"] = "ctso-srv-file-01.contoso.com" }),
            await server.CallOkAsync("isolate_device", new() { ["device"] = "ctso-fin-lt-011", ["comment"] = "time format" }),
        };

        var times = results.SelectMany(r => Times(r)).ToList();

        Assert.Contains(times, t => t.Path.EndsWith(".created_date_time", StringComparison.Ordinal));
        Assert.Contains(times, t => t.Path == "$.expires_at");
        Assert.All(times, t => Assert.True(UtcZ().IsMatch(t.Value), $"{t.Path} = {t.Value}"));
    }

    // A sentence of a write (a budget refusal, an expired token, a device's isolation) names a time as the time fields
    // do: UTC, ISO 8601, to the second, with Z, whatever the offset of the value (the culture cannot differ: the
    // server runs in globalization-invariant mode).
    [Fact]
    public void A_time_in_a_sentence_is_utc_iso_8601_with_a_z()
    {
        var local = new DateTimeOffset(2026, 12, 1, 12, 15, 0, 500, TimeSpan.FromHours(2));

        Assert.Equal("2026-12-01T10:15:00Z", DefenderMcp.Mcp.Text.Utc(local));
    }
}
