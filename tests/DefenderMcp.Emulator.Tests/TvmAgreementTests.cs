using System.Text.Json;
using DefenderMcp.Emulator.Data;

namespace DefenderMcp.Emulator.Tests;

/// <summary>
/// The DeviceTvm* hunting tables and the vulnerability management APIs read one catalog, so a hunt and the APIs give
/// the same answer over HTTPS: the same (device, CVE, product, version, fixing KB) rows, the same exposed devices.
/// </summary>
public sealed class TvmAgreementTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Mde = "https://api.securitycenter.microsoft.com/.default";

    [Fact]
    public async Task DeviceTvmSoftwareVulnerabilities_rows_equal_the_machinesVulnerabilities_api_for_the_story_tenant()
    {
        var mde = await fixture.SecretTokenAsync("contoso", Mde);
        var graph = await fixture.SecretTokenAsync("contoso");

        var api = await fixture.SendAsync(HttpMethod.Get, "api/vulnerabilities/machinesVulnerabilities?$top=10000", mde);
        var hunt = await fixture.HuntAsync("DeviceTvmSoftwareVulnerabilities | project DeviceId, CveId, SoftwareVendor, SoftwareName, SoftwareVersion, RecommendedSecurityUpdateId, VulnerabilitySeverityLevel", graph);

        Assert.Equal(200, api.Status);
        Assert.Equal(200, hunt.Status);
        var fromApi = api.Json.GetProperty("value").EnumerateArray()
            .Select(r => Key(r, "machineId", "cveId", "productVendor", "productName", "productVersion", "fixingKbId", "severity")).Order(StringComparer.Ordinal).ToList();
        var fromHunt = hunt.Body.GetProperty("results").EnumerateArray()
            .Select(r => Key(r, "DeviceId", "CveId", "SoftwareVendor", "SoftwareName", "SoftwareVersion", "RecommendedSecurityUpdateId", "VulnerabilitySeverityLevel")).Order(StringComparer.Ordinal).ToList();
        Assert.True(fromApi.Count >= 10, $"{fromApi.Count} rows");
        Assert.Equal(fromApi, fromHunt);
    }

    [Fact]
    public async Task The_story_cve_exposes_the_same_devices_to_a_hunt_and_to_machineReferences()
    {
        var mde = await fixture.SecretTokenAsync("contoso", Mde);
        var graph = await fixture.SecretTokenAsync("contoso");

        var api = await fixture.SendAsync(HttpMethod.Get, $"api/vulnerabilities/{VulnerabilityCatalog.StoryCve}/machineReferences", mde);
        var entity = await fixture.SendAsync(HttpMethod.Get, $"api/vulnerabilities/{VulnerabilityCatalog.StoryCve}", mde);
        var hunt = await fixture.HuntAsync($"DeviceTvmSoftwareVulnerabilities | where CveId == '{VulnerabilityCatalog.StoryCve}' | distinct DeviceId", graph);
        var kb = await fixture.HuntAsync($"DeviceTvmSoftwareVulnerabilitiesKB | where CveId == '{VulnerabilityCatalog.StoryCve}' | project CvssScore, VulnerabilitySeverityLevel, IsExploitAvailable, AffectedSoftware", graph);

        var devices = api.Json.GetProperty("value").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(6, devices.Count);
        Assert.Equal(devices, hunt.Body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("DeviceId").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(devices.Count, entity.Json.GetProperty("exposedMachines").GetInt32());
        var knowledge = Assert.Single(kb.Body.GetProperty("results").EnumerateArray());
        Assert.Equal(entity.Json.GetProperty("cvssV3").GetDouble().ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), knowledge.GetProperty("CvssScore").GetString());
        Assert.Equal(entity.Json.GetProperty("severity").GetString(), knowledge.GetProperty("VulnerabilitySeverityLevel").GetString());
        Assert.Equal(entity.Json.GetProperty("publicExploit").GetBoolean(), knowledge.GetProperty("IsExploitAvailable").GetBoolean());
        Assert.Contains("microsoft_office", knowledge.GetProperty("AffectedSoftware").ToString(), StringComparison.Ordinal);
    }

    private static string Key(JsonElement row, params string[] names) =>
        string.Join('|', names.Select(n => row.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : string.Empty));
}
