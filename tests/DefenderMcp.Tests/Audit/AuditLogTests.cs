using System.Text.Json;
using DefenderMcp.Audit;
using DefenderMcp.Tests.Hunting;

namespace DefenderMcp.Tests.Audit;

public sealed class AuditLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-audit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Lines_chain_by_hash_across_restarts_and_the_file_is_private()
    {
        var path = Path.Combine(_dir, "audit.jsonl");
        var console = new StringWriter();
        using (var first = new AuditLog(console, path, new ManualTimeProvider()))
        {
            first.Write(new AuditRecord { Event = "server_start" });
            first.Write(new AuditRecord { Event = "tool_call", Tool = "list_alerts", Tenants = ["contoso"], Outcome = "success" });
        }

        using (var second = new AuditLog(new StringWriter(), path, new ManualTimeProvider()))
        {
            second.Write(new AuditRecord { Event = "tool_call", Tool = "get_alert", Tenants = ["contoso"], Outcome = "error", ErrorCode = "not_found" });
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.Null(AuditChain.Verify(lines));
        Assert.Equal(string.Empty, JsonDocument.Parse(lines[0]).RootElement.GetProperty("prev_hash").GetString());
        Assert.Equal(AuditChain.Hash(lines[1]), JsonDocument.Parse(lines[2]).RootElement.GetProperty("prev_hash").GetString());
        Assert.Equal(2, console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Cutting_lines_from_the_end_is_detected_by_the_head()
    {
        var path = Path.Combine(_dir, "audit.jsonl");
        using (var log = new AuditLog(new StringWriter(), path, new ManualTimeProvider()))
        {
            for (var i = 0; i < 4; i++)
            {
                log.Write(new AuditRecord { Event = "tool_call", Tool = $"t{i}" });
            }
        }

        Assert.Equal(0, Verify(path));
        var head = AuditHead.TryRead(AuditHead.PathFor(path));
        Assert.Equal(4, head!.Lines);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(AuditHead.PathFor(path)));
        }

        var lines = File.ReadAllLines(path);
        File.WriteAllLines(path, lines[..^1]);
        Assert.Null(AuditChain.Verify(File.ReadAllLines(path)));
        Assert.Equal(1, Verify(path));
        var cut = AuditChain.Check(File.ReadAllLines(path));
        Assert.Equal("its head records 4 lines and the file holds 3: 1 line was cut from its end", DefenderMcp.Cli.AuditCommand.EndMismatch(cut, head));
        Assert.Equal("its head records 4 lines and the file holds 2: 2 lines were cut from its end", DefenderMcp.Cli.AuditCommand.EndMismatch(AuditChain.Check(lines[..2]), head));
        Assert.StartsWith("the file holds 5 lines, 1 more than the 4 its head records", DefenderMcp.Cli.AuditCommand.EndMismatch(new AuditChainCheck(null, 5, head.LastHash, null, null, []), head), StringComparison.Ordinal);

        File.WriteAllLines(path, lines);
        Assert.Equal(0, Verify(path));
        File.Delete(AuditHead.PathFor(path));
        Assert.Equal(1, Verify(path));
    }

    [Fact]
    public void The_head_continues_across_restarts()
    {
        var path = Path.Combine(_dir, "audit.jsonl");
        using (var first = new AuditLog(new StringWriter(), path, new ManualTimeProvider()))
        {
            first.Write(new AuditRecord { Event = "server_start" });
        }

        using (var second = new AuditLog(new StringWriter(), path, new ManualTimeProvider()))
        {
            second.Write(new AuditRecord { Event = "tool_call", Tool = "list_alerts" });
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(new AuditHead(2, AuditChain.Hash(lines[1])), AuditHead.TryRead(AuditHead.PathFor(path)));
        Assert.Equal(0, Verify(path));
    }

    [Fact]
    public async Task Concurrent_writers_keep_one_intact_chain_and_the_head_matches()
    {
        var path = Path.Combine(_dir, "audit.jsonl");
        var console = new StringWriter();
        using (var log = new AuditLog(TextWriter.Synchronized(console), path, new ManualTimeProvider()))
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
            {
                for (var i = 0; i < 50; i++)
                {
                    log.Write(new AuditRecord { Event = "tool_call", Tool = $"w{worker}", Tenants = ["contoso"], Notes = [new string('x', (i * 997) % 3000)] });
                }
            })));
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(400, lines.Length);
        Assert.Null(AuditChain.Verify(lines));
        Assert.Equal(lines, console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(new AuditHead(400, AuditChain.Hash(lines[^1])), AuditHead.TryRead(AuditHead.PathFor(path)));
        Assert.Equal(0, Verify(path));
    }

    [Fact]
    public void A_longer_head_left_by_an_older_version_is_replaced_whole()
    {
        var path = Path.Combine(_dir, "audit.jsonl");
        File.WriteAllText(AuditHead.PathFor(path), "0 -\n" + new string('#', 300));
        using (var log = new AuditLog(new StringWriter(), path, new ManualTimeProvider()))
        {
            log.Write(new AuditRecord { Event = "server_start" });
        }

        var head = File.ReadAllText(AuditHead.PathFor(path));
        Assert.Equal(85, head.Length);
        Assert.Equal(new AuditHead(1, AuditChain.Hash(File.ReadAllLines(path)[0])), AuditHead.TryRead(AuditHead.PathFor(path)));
    }

    private static int Verify(string path) => DefenderMcp.Cli.AuditCommand.Create().Parse(["verify", path]).Invoke();

    [Fact]
    public void Editing_or_removing_a_line_breaks_the_chain_at_that_line()
    {
        var path = Path.Combine(_dir, "audit.jsonl");
        using (var log = new AuditLog(new StringWriter(), path, new ManualTimeProvider()))
        {
            for (var i = 0; i < 4; i++)
            {
                log.Write(new AuditRecord { Event = "tool_call", Tool = $"t{i}" });
            }
        }

        var lines = File.ReadAllLines(path);
        var edited = lines.ToArray();
        edited[1] = edited[1].Replace("\"t1\"", "\"tX\"", StringComparison.Ordinal);
        var removed = lines.Where((_, i) => i != 2).ToArray();

        Assert.Equal(3, AuditChain.Verify(edited));
        Assert.Equal(3, AuditChain.Verify(removed));
    }
}
