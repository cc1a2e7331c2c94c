using System.Text.Json.Nodes;
using DefenderMcp.Emulator.Data;
using DefenderMcp.Emulator.Hunting;

namespace DefenderMcp.Emulator.Tests.Data;

/// <summary>
/// Every reference in the generated data names something that exists, as it does in a real tenant: an alert's
/// incident, a piece of evidence's device, a hunting row's device and alert. A pivot from one API to another (an
/// alert's device to the machines API, a hunting row's DeviceId to get_device) then never lands on nothing.
/// </summary>
public sealed class CrossReferenceTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static TheoryData<string, int> Keys => new() { { "contoso", 0 }, { "fabrikam", 1 }, { "tenant-07", 7 } };

    private static TenantData Data(string tenant, int index) => DataGenerator.Generate(TestTenants.Tenant(tenant), index, Now);

    private static HashSet<string> MachineIds(TenantData data) => [.. data.Machines.Select(m => m["id"]!.GetValue<string>())];

    private static HashSet<string> Distinct(TenantData data, string table, string column)
    {
        var result = HuntingEngine.Execute($"{table} | where isnotempty({column}) | distinct {column}", data.Tables, Now.AddDays(-30), Now);
        return [.. result.Rows.Select(r => (string)r[0]!)];
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_alert_names_an_incident_of_its_tenant_and_every_incident_has_an_alert(string tenant, int index)
    {
        var data = Data(tenant, index);
        var incidents = data.Incidents.Select(i => i["id"]!.GetValue<string>()).ToHashSet();
        var named = data.Alerts.Select(a => a["incidentId"]?.GetValue<string>()).ToList();

        Assert.NotEmpty(data.Alerts);
        Assert.All(named, id => Assert.Contains(id!, incidents));
        Assert.All(incidents, id => Assert.Contains(id, named));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_device_an_alerts_evidence_names_is_a_machine_of_the_tenant(string tenant, int index)
    {
        var data = Data(tenant, index);
        var machines = MachineIds(data);
        var named = data.Alerts
            .SelectMany(a => a["evidence"]!.AsArray().OfType<JsonObject>())
            .Select(e => e["mdeDeviceId"]?.GetValue<string>())
            .Where(id => !string.IsNullOrEmpty(id))
            .ToList();

        Assert.NotEmpty(named);
        Assert.All(named, id => Assert.Contains(id!, machines));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_hunting_rows_device_is_a_machine_and_every_alert_row_is_an_alert(string tenant, int index)
    {
        var data = Data(tenant, index);
        var machines = MachineIds(data);
        var alerts = data.Alerts.Select(a => a["id"]!.GetValue<string>()).ToHashSet();

        foreach (var table in new[] { "DeviceInfo", "DeviceProcessEvents", "DeviceNetworkEvents", "DeviceFileEvents", "DeviceLogonEvents", "AlertEvidence" })
        {
            var devices = Distinct(data, table, "DeviceId");
            Assert.True(devices.Count > 0, $"{table} has no DeviceId");
            Assert.True(devices.IsSubsetOf(machines), $"{table}: {string.Join(", ", devices.Except(machines).Take(5))} are no machine of {tenant}");
        }

        Assert.Equal(alerts, Distinct(data, "AlertInfo", "AlertId"));
        Assert.True(Distinct(data, "AlertEvidence", "AlertId").IsSubsetOf(alerts));
    }
}
