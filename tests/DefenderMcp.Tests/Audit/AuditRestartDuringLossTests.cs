using System.Text.Json;
using DefenderMcp.Audit;
using DefenderMcp.Tests.Hunting;

namespace DefenderMcp.Tests.Audit;

/// <summary>
/// The server stops (or restarts) while its audit file is lost: lines reached only stderr and the file never resumed.
/// The head keeps that loss, so the next server resumes the file with the <c>audit_resumed</c> line the stopped one would
/// have written: <c>audit verify</c> reports a gap of the lines that reached only stderr (exit 3), not a new chain that
/// breaks the join, and stderr's chain runs on across both servers. An edited or cut file is still a broken chain.
/// </summary>
public sealed class AuditRestartDuringLossTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-audit-restart-").FullName;
    private readonly ManualTimeProvider _time = new();
    private readonly StringWriter _console = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Current => Path.Combine(_dir, "audit.jsonl");

    private string[] Trail() => [.. Directory.GetFiles(_dir, "audit.2*.jsonl").Order(StringComparer.Ordinal), Current];

    private static int Verify(params string[] paths) => AuditTrailText.Verify(paths);

    private void Write(AuditLog log, int from, int count) => AuditTrailText.WriteToolCalls(log, _time, from, count, TimeSpan.FromMilliseconds(5));

    private List<string> ChainedConsoleLines() => AuditTrailText.ChainedLines(_console);

    // Writes three lines, then a write fails half-way (a full disk) and four more reach only stderr; the server stops.
    private void StopWhileTheDiskIsFull()
    {
        using var log = new AuditLog(_console, Current, _time);
        Write(log, 0, 3);
        log.BeforeFileWrite = file =>
        {
            file.Write("{\"ts\":\"2026-"u8);
            throw new IOException("No space left on device");
        };
        Write(log, 3, 4);
    }

    // Writes until the first rotation, whose reopen finds a folder where the file was; five more reach only stderr.
    private void StopWhileTheRotatedFileCannotBeReopened()
    {
        using var log = new AuditLog(_console, Current, _time, 2048);
        log.BeforeRotationReopen = () =>
        {
            Directory.CreateDirectory(Current);
            log.BeforeRotationReopen = null;
        };
        var written = 0;
        while (!Directory.Exists(Current))
        {
            Write(log, written++, 1);
        }

        Write(log, written, 5);
    }

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement;

    private static long Missing(JsonElement resumed) => resumed.GetProperty("counts").GetProperty(AuditLog.MissingLinesCount).GetInt64();

    [Fact]
    public void A_server_that_stopped_while_the_disk_was_full_is_resumed_by_the_next_with_the_gap_recorded()
    {
        StopWhileTheDiskIsFull();

        // Stopped before the resume: the head says so, and verify reports the gap in progress, not the half-written line.
        var head = AuditHead.TryRead(AuditHead.PathFor(Current));
        Assert.Equal(4, head!.Loss!.MissingLines);
        Assert.Equal(3, Verify(Current));

        using (var next = new AuditLog(_console, Current, _time))
        {
            Write(next, 7, 2);
        }

        var fileLines = File.ReadAllLines(Current);
        Assert.Equal(3 + 1 + 2, fileLines.Length);
        var resumed = Parse(fileLines[3]);
        Assert.Equal(AuditLog.ResumedEvent, resumed.GetProperty("event").GetString());
        Assert.Equal(4, Missing(resumed));

        // Both servers' stderr is one unbroken chain; the four lines the file lacks are the gap, hash for hash.
        var console = ChainedConsoleLines();
        Assert.Equal(3 + 4 + 1 + 2, console.Count);
        Assert.Null(AuditChain.Verify(console));
        var gap = Assert.Single(AuditChain.Check(fileLines).Gaps);
        Assert.Equal((4L, AuditChain.Hash(fileLines[2]), AuditChain.Hash(console[3]), AuditChain.Hash(console[6])), (gap.MissingLines, gap.AfterHash, gap.FirstHash, gap.LastHash));
        Assert.Equal(console[7], fileLines[3]);
        Assert.Equal(new AuditHead(6, AuditChain.Hash(fileLines[^1])), AuditHead.TryRead(AuditHead.PathFor(Current)));
        Assert.Equal(3, Verify(Current));
    }

    [Fact]
    public void A_server_that_stopped_with_its_rotated_file_lost_is_resumed_by_the_next_and_the_join_is_a_gap()
    {
        StopWhileTheRotatedFileCannotBeReopened();
        var archive = Assert.Single(Trail()[..^1]);
        Assert.Equal(5 + 1, AuditHead.TryRead(AuditHead.PathFor(archive))!.Loss!.MissingLines);
        Assert.Equal(3, Verify(archive));

        Directory.Delete(Current);
        using (var next = new AuditLog(_console, Current, _time, 2048))
        {
            Write(next, 100, 2);
        }

        var trail = Trail();
        Assert.Equal([archive, Current], trail);
        var resumed = Parse(File.ReadLines(Current).First());
        Assert.Equal(AuditLog.ResumedEvent, resumed.GetProperty("event").GetString());
        Assert.Equal(6, Missing(resumed));
        Assert.Contains($"previous_file={Path.GetFileName(archive)}", resumed.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
        var inFiles = trail.SelectMany(File.ReadLines).ToHashSet(StringComparer.Ordinal);
        var console = ChainedConsoleLines();
        Assert.Null(AuditChain.Verify(console));
        Assert.Equal(6, console.Count(l => !inFiles.Contains(l)));

        // The archive's head lets the loss go: the new file records it.
        Assert.Null(AuditHead.TryRead(AuditHead.PathFor(archive))!.Loss);
        Assert.Equal(0, Verify(archive));
        Assert.Equal(3, Verify(trail));
    }

    [Fact]
    public void A_server_that_starts_while_the_file_is_still_lost_goes_on_with_the_same_gap()
    {
        StopWhileTheRotatedFileCannotBeReopened();

        // The folder is still where the file was: the next server starts anyway, its lines reach only stderr, counted on.
        using (var next = new AuditLog(_console, Current, _time, 2048))
        {
            Write(next, 100, 3);
            Assert.Equal(6 + 3, AuditHead.TryRead(AuditHead.PathFor(Trail()[0]))!.Loss!.MissingLines);
            Directory.Delete(Current);
            _time.Advance(TimeSpan.FromSeconds(2));
            Write(next, 103, 1);
        }

        var resumed = Parse(File.ReadLines(Current).First());
        Assert.Equal(6 + 3, Missing(resumed));
        Assert.Null(AuditChain.Verify(ChainedConsoleLines()));
        Assert.Equal(3, Verify(Trail()));
    }

    [Fact]
    public void A_file_edited_or_cut_before_the_restart_is_still_a_broken_chain()
    {
        StopWhileTheDiskIsFull();
        var lines = File.ReadAllLines(Current);
        File.WriteAllLines(Current, [lines[0], lines[1].Replace("list_alerts_001", "list_alerts_00X", StringComparison.Ordinal), lines[2]]);
        Assert.Equal(1, Verify(Current));
        using (var next = new AuditLog(_console, Current, _time))
        {
            Write(next, 7, 1);
        }

        Assert.Equal(1, Verify(Current));
    }

    [Fact]
    public void A_file_cut_shorter_than_its_last_whole_line_before_the_restart_is_still_a_broken_chain()
    {
        StopWhileTheDiskIsFull();
        File.WriteAllLines(Current, File.ReadAllLines(Current)[..2]);
        Assert.Equal(1, Verify(Current));
        using (var next = new AuditLog(_console, Current, _time))
        {
            Write(next, 7, 1);
        }

        Assert.Equal(1, Verify(Current));
    }
}
