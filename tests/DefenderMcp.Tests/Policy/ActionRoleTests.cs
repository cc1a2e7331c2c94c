using DefenderMcp.Configuration;
using DefenderMcp.Emulator;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Policy;

// Server → emulator: each device action needs its own app role (defender-api.md §3.11). Its own emulator, because the
// cases narrow the contoso app's roles.
public sealed class ActionRoleTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<ServerHarness> RespondAsync() => ServerHarness.StartAsync(
        fixture,
        s => s with { Tenants = [.. s.Tenants.Select(t => t with { Policy = t.Policy with { AllowOffboard = true, MaxActionsPerHour = 100 } })] },
        ActionTier.Respond,
        ConfirmationMode.None);

    private async Task<string> DeviceAsync(ServerHarness server, string prefix) =>
        (await server.CallOkAsync("list_devices", new() { ["name_prefix"] = prefix, ["limit"] = 1 })).GetProperty("devices")[0].GetProperty("name").GetString()!;

    [Fact]
    public async Task An_app_without_machine_offboard_is_refused_offboarding_but_can_isolate_and_status_names_the_role()
    {
        var app = fixture.Emulator.GetTenant("contoso").App;
        await fixture.Control.SetAppRolesAsync(app.ClientId, null, [.. DemoTenants.AllMdeRoles.Where(r => r != "Machine.Offboard")], Ct);
        try
        {
            await using var server = await RespondAsync();
            var device = await DeviceAsync(server, "ctso-hr-lt");

            var (code, message) = await server.CallErrorAsync("offboard_device", new() { ["device"] = device, ["comment"] = "retire" });
            var isolated = await server.CallOkAsync("isolate_device", new() { ["device"] = device, ["comment"] = "contain" });
            var status = await server.CallOkAsync("get_server_status", new() { ["tenant"] = "contoso" });

            Assert.Equal("permission_denied", code);
            Assert.Contains("Machine.Offboard", message, StringComparison.Ordinal);
            Assert.Equal("Pending", isolated.GetProperty("status").GetString());
            Assert.Contains(await fixture.Control.GetRequestsAsync(Ct), r => r.Path.EndsWith("/offboard", StringComparison.Ordinal) && r.Status == 403);
            Assert.Equal(["Machine.Offboard"], status.GetProperty("missing_roles").EnumerateArray().Select(r => r.GetString()));
        }
        finally
        {
            await fixture.Control.ResetAsync(Ct);
        }
    }

    [Fact]
    public async Task Machine_readwrite_alone_grants_no_isolation_and_status_says_which_roles_are_missing()
    {
        var app = fixture.Emulator.GetTenant("contoso").App;
        await fixture.Control.SetAppRolesAsync(app.ClientId, null, ["Machine.Read.All", "Machine.ReadWrite.All", "Ti.ReadWrite.All"], Ct);
        try
        {
            await using var server = await RespondAsync();
            var device = await DeviceAsync(server, "ctso-eng-ws");

            var (code, message) = await server.CallErrorAsync("isolate_device", new() { ["device"] = device, ["comment"] = "contain" });
            var status = await server.CallOkAsync("get_server_status", new() { ["tenant"] = "contoso" });
            var missing = status.GetProperty("missing_roles").EnumerateArray().Select(r => r.GetString()).ToList();

            Assert.Equal("permission_denied", code);
            Assert.Contains("Machine.Isolate", message, StringComparison.Ordinal);
            Assert.Contains("Machine.Isolate", missing);
            Assert.Contains("Machine.Scan", missing);
            Assert.Contains("Machine.Offboard", missing);
            Assert.DoesNotContain("Machine.StopAndQuarantine", missing);
        }
        finally
        {
            await fixture.Control.ResetAsync(Ct);
        }
    }
}
