using DefenderMcp.Audit;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Audit;

/// <summary>
/// Tool calls through the SDK client against the emulator, with a small audit size: the server rotates its audit
/// file as it serves, every call is in the trail once, and <c>audit verify</c> over the files finds it intact.
/// </summary>
public sealed class AuditRotationThroughServerTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-audit-server-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_serving_server_rotates_its_audit_file_and_the_trail_verifies_with_every_call_once()
    {
        var path = Path.Combine(_dir, "audit.jsonl");
        const int Calls = 12;
        await using (var server = await ServerHarness.StartAsync(fixture, s => s with { AuditFilePath = path, AuditMaxFileBytes = 2048 }))
        {
            for (var i = 0; i < Calls; i++)
            {
                await server.CallOkAsync("list_incidents", new() { ["limit"] = 1 });
            }
        }

        string[] trail = [.. Directory.GetFiles(_dir, "audit.2*.jsonl").Order(StringComparer.Ordinal), path];
        Assert.True(trail.Length >= 2, $"{trail.Length} files");
        Assert.Equal(Calls, trail.SelectMany(File.ReadLines).Count(l => l.Contains("\"tool\":\"list_incidents\"", StringComparison.Ordinal)));
        Assert.Equal(0, DefenderMcp.Cli.AuditCommand.Create().Parse(["verify", .. trail]).Invoke());
        Assert.Null(AuditChain.Check(File.ReadLines(trail[0])).PreviousFile);
    }
}
