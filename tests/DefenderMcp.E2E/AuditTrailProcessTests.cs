using System.Text.Json;

namespace DefenderMcp.E2E;

/// <summary>
/// The built server over stdio, stopped by closing stdin: each run's trail begins with <c>server_start</c> and ends with
/// <c>server_stop</c>. A line cut from the file between two runs is recorded by the second (<c>audit_truncated</c>) and
/// <c>defender-mcp audit verify</c> explains it and exits 4.
/// </summary>
public sealed class AuditTrailProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task RunOnceAsync(string audit)
    {
        var info = ServerProcess.StartInfo("--demo");
        info.Environment["DEFENDER_MCP_AUDIT_FILE"] = audit;
        var (code, _, stderr) = await ServerProcess.RunAsync(info, Ct);
        Assert.True(code == 0, stderr);
    }

    private static List<string> Events(string audit) =>
        [.. File.ReadAllLines(audit).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event").GetString()!)];

    [Fact]
    public async Task A_line_cut_between_two_runs_is_recorded_by_the_second_and_verify_explains_it()
    {
        var home = Directory.CreateTempSubdirectory("defender-mcp-e2e-audit-").FullName;
        try
        {
            var audit = Path.Combine(home, "audit.jsonl");
            await RunOnceAsync(audit);
            Assert.Equal(["server_start", "server_stop"], Events(audit));
            var first = File.ReadAllLines(audit);
            File.WriteAllLines(audit, first[..1]);

            await RunOnceAsync(audit);

            Assert.Equal(["server_start", "audit_truncated", "server_start", "server_stop"], Events(audit));
            var (code, stdout, _) = await ServerProcess.RunAsync(ServerProcess.StartInfo("audit", "verify", audit), Ct);
            Assert.Equal(4, code);
            Assert.Contains("audit chain intact (4 lines, head matches)", stdout, StringComparison.Ordinal);
            Assert.Contains("TRUNCATED in audit.jsonl at line 2: when the server started, the head recorded 2 lines and the file held 1 at start: 1 line was cut from its end", stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
