using System.Text.Json;
using DefenderMcp.Areas.DetectionRules;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Tests.Hardening;

/// <summary>
/// Upstream strings are clipped where the outputs are made (the emulator's "huge" body found devices, alerts,
/// incidents, indicators and detection rules passing megabyte strings through): every field of a device, and every
/// string of a rule, which is passed through whole.
/// </summary>
public sealed class UpstreamStringClipTests
{
    private static readonly string Huge = new('x', 100_000);

    [Fact]
    public void Every_string_of_a_device_is_clipped()
    {
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = "abc",
            ["computerDnsName"] = Huge,
            ["osPlatform"] = Huge,
            ["version"] = Huge,
            ["healthStatus"] = Huge,
            ["riskScore"] = Huge,
            ["exposureLevel"] = Huge,
            ["onboardingStatus"] = Huge,
            ["deviceValue"] = Huge,
            ["lastIpAddress"] = Huge,
            ["rbacGroupName"] = Huge,
            ["machineTags"] = new[] { Huge },
        }));

        var device = DeviceOutput.From(ModelReader.ReadMachine(doc.RootElement));
        var json = JsonSerializer.SerializeToElement(device);

        Assert.All(json.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String), p => Assert.InRange(p.Value.GetString()!.Length, 1, 300));
        Assert.InRange(Assert.Single(device.Tags).Length, 1, 120);
    }

    [Fact]
    public void Every_string_of_a_rule_is_clipped_and_its_query_keeps_10000_characters()
    {
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(new
        {
            id = "1",
            displayName = Huge,
            queryCondition = new { queryText = Huge },
            detectionAction = new { alertTemplate = new { tactics = new[] { Huge } } },
        }));

        var rule = DetectionRuleArguments.Shape(doc.RootElement);

        Assert.StartsWith(new string('x', 1024) + "…", rule["displayName"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.InRange(rule["displayName"]!.GetValue<string>().Length, 1024, 1100);
        Assert.InRange(rule["queryCondition"]!["queryText"]!.GetValue<string>().Length, 10_000, 10_100);
        Assert.InRange(rule["detectionAction"]!["alertTemplate"]!["tactics"]![0]!.GetValue<string>().Length, 1024, 1100);
        Assert.Equal("1", rule["id"]!.GetValue<string>());
    }
}
