using System.Text.Json;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Vulnerabilities;

/// <summary>
/// list_software's end of support, read from the DeviceTvmSoftwareInventory hunting table (the Software entity has no
/// such field) against the emulator's contoso inventory: Silverlight on the executive laptops and Windows 10 are out of
/// support, Python 3.8 on the engineering workstations is an ended version, Office is supported.
/// </summary>
public sealed class SoftwareEndOfSupportTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Win10HrLaptop = "ctso-hr-lt-088.contoso.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Product(JsonElement result, string id) =>
        result.GetProperty("software").EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);

    private static (string? Status, string? Date) Support(JsonElement product) =>
        product.GetProperty("end_of_support") is { ValueKind: JsonValueKind.Object } e ? (e.GetProperty("status").GetString(), e.GetProperty("date").GetString()) : (null, null);

    [Fact]
    public async Task The_tenants_software_shows_each_products_end_of_support()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("list_software", new() { ["limit"] = 100 });

        Assert.Equal(("EOS Software", "2021-10-12"), Support(Product(result, "microsoft-_-silverlight")));
        Assert.Equal(("EOS Version", "2024-10-07"), Support(Product(result, "python-_-python")));
        Assert.Equal(("EOS Software", "2025-10-14"), Support(Product(result, "microsoft-_-windows_10")));
        Assert.Equal(("None", null), Support(Product(result, "microsoft-_-office")));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("end_of_support_unavailable").ValueKind);
    }

    [Fact]
    public async Task A_devices_software_shows_end_of_support_for_that_device_in_one_hunting_query()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        await fixture.Control.ClearRequestsAsync(Ct);

        var result = await server.CallOkAsync("list_software", new() { ["device"] = Win10HrLaptop });
        var hunts = (await fixture.Control.GetRequestsAsync(Ct)).Where(r => r.Path.EndsWith("runHuntingQuery", StringComparison.Ordinal)).ToList();

        Assert.Equal(("EOS Software", "2025-10-14"), Support(Product(result, "microsoft-_-windows_10")));
        Assert.Equal(("None", null), Support(Product(result, "microsoft-_-office")));
        Assert.DoesNotContain(result.GetProperty("software").EnumerateArray(), s => s.GetProperty("id").GetString() == "microsoft-_-silverlight");
        Assert.Single(hunts);
    }

    [Fact]
    public async Task Refused_hunting_still_lists_the_software_and_says_why_end_of_support_is_missing()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 403, Count = 1, PathPattern = "runHuntingQuery$" }, Ct);

        var result = await server.CallOkAsync("list_software", new() { ["limit"] = 100 });

        Assert.True(result.GetProperty("count").GetInt32() >= 10);
        Assert.All(result.GetProperty("software").EnumerateArray(), s => Assert.Equal(JsonValueKind.Null, s.GetProperty("end_of_support").ValueKind));
        Assert.Contains("ThreatHunting.Read.All", result.GetProperty("end_of_support_unavailable").GetString(), StringComparison.Ordinal);
    }

    // The intended change to the golden tools-list.json: list_software's output gains end_of_support {status, date}
    // per product and end_of_support_unavailable for the list.
    [Fact]
    public async Task List_software_output_schema_carries_end_of_support_status_and_date()
    {
        await using var server = await ServerHarness.StartAsync(fixture, s => s with { Toolsets = new HashSet<string>(["vulnerabilities"], StringComparer.Ordinal) });

        var tool = (await server.Client.ListToolsAsync(cancellationToken: Ct)).Single(t => t.Name == "list_software");

        var schema = tool.ProtocolTool.OutputSchema!.Value.GetRawText();
        Assert.Contains("\"end_of_support\"", schema, StringComparison.Ordinal);
        Assert.Contains("\"end_of_support_unavailable\"", schema, StringComparison.Ordinal);
        Assert.Contains("\"status\"", schema, StringComparison.Ordinal);
        Assert.Contains("end of support", tool.Description, StringComparison.Ordinal);
    }
}
