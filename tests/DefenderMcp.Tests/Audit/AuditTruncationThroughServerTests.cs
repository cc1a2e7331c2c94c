using System.Text.Json;
using DefenderMcp.Audit;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Audit;

/// <summary>
/// Through the server: its audit file loses its last lines while it is stopped; the next server on the same file begins
/// with an <c>audit_truncated</c> line before its own calls, and <c>audit verify</c> exits 4 (recorded cut), not 0.
/// </summary>
public sealed class AuditTruncationThroughServerTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-audit-cut-server-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_server_started_on_a_file_cut_while_stopped_records_the_cut_before_its_first_call()
    {
        var path = Path.Combine(_dir, "audit.jsonl");
        await using (var server = await ServerHarness.StartAsync(fixture, s => s with { AuditFilePath = path }))
        {
            await server.CallOkAsync("list_incidents", new() { ["limit"] = 1 });
            await server.CallOkAsync("list_incidents", new() { ["limit"] = 2 });
        }

        var before = File.ReadAllLines(path);
        Assert.Equal(0, AuditTrailText.Verify(path));
        File.WriteAllLines(path, before[..^1]);

        await using (var server = await ServerHarness.StartAsync(fixture, s => s with { AuditFilePath = path }))
        {
            await server.CallOkAsync("list_incidents", new() { ["limit"] = 3 });
            var stderr = server.AuditLines();
            Assert.Equal([AuditTruncation.Event, "tool_call"], stderr.Select(l => l.GetProperty("event").GetString()));
        }

        var lines = File.ReadAllLines(path);
        var cut = JsonDocument.Parse(lines[^2]).RootElement;
        Assert.Equal(AuditTruncation.Event, cut.GetProperty("event").GetString());
        Assert.Equal(((long)before.Length, before.Length - 1L), (cut.GetProperty("counts").GetProperty("expected_lines").GetInt64(), cut.GetProperty("counts").GetProperty("found_lines").GetInt64()));
        Assert.Contains($"expected_hash={AuditChain.Hash(before[^1])}", cut.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(4, AuditTrailText.Verify(path));
    }
}
