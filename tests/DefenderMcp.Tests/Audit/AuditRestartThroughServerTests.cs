using System.Text.Json;
using DefenderMcp.Audit;
using DefenderMcp.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DefenderMcp.Tests.Audit;

/// <summary>
/// A serving server whose audit file stops taking writes (a full disk) is stopped before the file could be written
/// again; the next server on the same file resumes it with the gap recorded, so <c>audit verify</c> exits 3 (lines
/// reached only stderr) and not 1 (a broken chain), and every call is in the file or in that gap.
/// </summary>
public sealed class AuditRestartThroughServerTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-audit-restart-server-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_server_restarted_while_its_disk_was_full_resumes_the_file_with_the_gap()
    {
        var path = Path.Combine(_dir, "audit.jsonl");
        string firstStderr;
        await using (var server = await ServerHarness.StartAsync(fixture, s => s with { AuditFilePath = path }))
        {
            await server.CallOkAsync("list_incidents", new() { ["limit"] = 1 });
            server.Services.GetRequiredService<AuditLog>().BeforeFileWrite = _ => throw new IOException("No space left on device");
            await server.CallOkAsync("list_incidents", new() { ["limit"] = 2 });
            await server.CallOkAsync("list_incidents", new() { ["limit"] = 3 });
            firstStderr = server.AuditWriter.ToString();
        }

        string secondStderr;
        await using (var server = await ServerHarness.StartAsync(fixture, s => s with { AuditFilePath = path }))
        {
            await server.CallOkAsync("list_incidents", new() { ["limit"] = 4 });
            secondStderr = server.AuditWriter.ToString();
        }

        Assert.Equal(3, AuditTrailText.Verify(path));
        var lines = File.ReadAllLines(path);
        var gap = Assert.Single(AuditChain.Check(lines).Gaps);
        Assert.Equal(AuditLog.ResumedEvent, JsonDocument.Parse(lines[gap.Line - 1]).RootElement.GetProperty("event").GetString());

        // Both servers' stderr is one chain; the lines the file lacks are exactly the gap, the two calls among them.
        using var stderr = new StringWriter();
        stderr.Write(firstStderr + secondStderr);
        var console = AuditTrailText.ChainedLines(stderr);
        Assert.Null(AuditChain.Verify(console));
        var inFile = lines.ToHashSet(StringComparer.Ordinal);
        var missing = console.Where(l => !inFile.Contains(l)).ToList();
        Assert.Equal(gap.MissingLines, missing.Count);
        Assert.Equal(2, missing.Count(l => l.Contains("\"tool\":\"list_incidents\"", StringComparison.Ordinal)));
        Assert.Equal(4, console.Count(l => l.Contains("\"tool\":\"list_incidents\"", StringComparison.Ordinal)));
    }
}
