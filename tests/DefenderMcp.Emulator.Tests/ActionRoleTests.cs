namespace DefenderMcp.Emulator.Tests;

/// <summary>
/// Each response action takes its own app role, as the operation pages say (defender-api.md §3.11): an app with
/// Machine.ReadWrite.All and every other role but the action's gets the real 403; only stop-and-quarantine also takes
/// the machine roles. The app's roles are set through the control plane before each token.
/// </summary>
public sealed class ActionRoleTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Mde = "https://api.securitycenter.microsoft.com/.default";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, (string Role, object Body)> Actions = new()
    {
        ["isolate"] = ("Machine.Isolate", new { Comment = "roles", IsolationType = "Full" }),
        ["unisolate"] = ("Machine.Isolate", new { Comment = "roles" }),
        ["restrictCodeExecution"] = ("Machine.RestrictExecution", new { Comment = "roles" }),
        ["unrestrictCodeExecution"] = ("Machine.RestrictExecution", new { Comment = "roles" }),
        ["runAntiVirusScan"] = ("Machine.Scan", new { Comment = "roles", ScanType = "Quick" }),
        ["collectInvestigationPackage"] = ("Machine.CollectForensics", new { Comment = "roles" }),
        ["offboard"] = ("Machine.Offboard", new { Comment = "roles" }),
        ["StopAndQuarantineFile"] = ("Machine.StopAndQuarantine", new { Comment = "roles", Sha1 = new string('a', 40) }),
        ["runliveresponse"] = ("Machine.LiveResponse", new { Comment = "roles", Commands = new[] { new { type = "RunScript", @params = new[] { new { key = "ScriptName", value = "list-processes.ps1" } } } } }),
    };

    private async Task<string> TokenWithAsync(IReadOnlyList<string> mdeRoles)
    {
        var app = fixture.Emulator.GetTenant("contoso").App;
        await fixture.Control.SetAppRolesAsync(app.ClientId, null, mdeRoles, Ct);
        return await fixture.SecretTokenAsync("contoso", Mde);
    }

    private async Task<string> MachineAsync(int index)
    {
        var token = await TokenWithAsync(["Machine.Read.All"]);
        return (await fixture.SendAsync(HttpMethod.Get, $"api/machines?$filter=osPlatform eq 'Windows11'&$top=1&$skip={index}", token)).Json.GetProperty("value")[0].GetProperty("id").GetString()!;
    }

    [Theory]
    [InlineData("isolate", 0)]
    [InlineData("unisolate", 1)]
    [InlineData("restrictCodeExecution", 2)]
    [InlineData("unrestrictCodeExecution", 3)]
    [InlineData("runAntiVirusScan", 4)]
    [InlineData("collectInvestigationPackage", 5)]
    [InlineData("offboard", 6)]
    [InlineData("runliveresponse", 7)]
    public async Task An_action_needs_its_own_role_and_machine_readwrite_is_not_enough(string action, int device)
    {
        var (role, body) = Actions[action];
        var machine = await MachineAsync(device);
        var everyOther = DemoTenants.AllMdeRoles.Where(r => r != role).ToList();

        var refused = await fixture.SendAsync(HttpMethod.Post, $"api/machines/{machine}/{action}", await TokenWithAsync(everyOther), body);
        var allowed = await fixture.SendAsync(HttpMethod.Post, $"api/machines/{machine}/{action}", await TokenWithAsync([role]), body);

        Assert.Contains("Machine.ReadWrite.All", everyOther);
        Assert.Equal((403, "Forbidden"), (refused.Status, refused.ErrorCode));
        Assert.Contains(role, refused.Json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(201, allowed.Status);
    }

    [Fact]
    public async Task Stop_and_quarantine_also_takes_the_machine_roles_as_its_page_lists()
    {
        var (_, body) = Actions["StopAndQuarantineFile"];
        var first = await MachineAsync(8);
        var second = await MachineAsync(9);

        var withReadWrite = await fixture.SendAsync(HttpMethod.Post, $"api/machines/{first}/StopAndQuarantineFile", await TokenWithAsync(["Machine.ReadWrite.All"]), body);
        var withOwn = await fixture.SendAsync(HttpMethod.Post, $"api/machines/{second}/StopAndQuarantineFile", await TokenWithAsync(["Machine.StopAndQuarantine"]), body);
        var withNeither = await fixture.SendAsync(HttpMethod.Post, $"api/machines/{second}/StopAndQuarantineFile", await TokenWithAsync(["Machine.Isolate", "Machine.Scan"]), body);

        Assert.Equal((201, 201), (withReadWrite.Status, withOwn.Status));
        Assert.Equal(403, withNeither.Status);
    }

    [Fact]
    public async Task Cancel_takes_any_action_role_but_not_machine_readwrite()
    {
        var machine = await MachineAsync(10);
        var scan = await fixture.SendAsync(HttpMethod.Post, $"api/machines/{machine}/runAntiVirusScan", await TokenWithAsync(["Machine.Scan"]), new { Comment = "roles", ScanType = "Quick" });
        var id = scan.Json.GetProperty("id").GetString();

        var refused = await fixture.SendAsync(HttpMethod.Post, $"api/machineactions/{id}/cancel", await TokenWithAsync(["Machine.Read.All", "Machine.ReadWrite.All"]), new { Comment = "roles" });
        var cancelled = await fixture.SendAsync(HttpMethod.Post, $"api/machineactions/{id}/cancel", await TokenWithAsync(["Machine.Offboard"]), new { Comment = "roles" });

        Assert.Equal(403, refused.Status);
        Assert.Equal((200, "Cancelled"), (cancelled.Status, cancelled.Json.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Roles_set_through_the_control_plane_reach_new_tokens_and_a_reset_restores_them()
    {
        var app = fixture.Emulator.GetTenant("fabrikam").App;
        await fixture.Control.SetAppRolesAsync(app.ClientId, ["ThreatHunting.Read.All"], ["Machine.Scan"], Ct);
        var narrowed = await fixture.SecretTokenAsync("fabrikam", Mde);
        await fixture.Control.ResetAsync(Ct);
        var restored = await fixture.SecretTokenAsync("fabrikam", Mde);

        Assert.Equal(403, (await fixture.SendAsync(HttpMethod.Get, "api/machines?$top=1", narrowed)).Status);
        Assert.Equal(200, (await fixture.SendAsync(HttpMethod.Get, "api/machines?$top=1", restored)).Status);
    }
}
