using System.Text.Json;
using DefenderMcp.Audit;
using DefenderMcp.Tests.Hunting;

namespace DefenderMcp.Tests.Audit;

/// <summary>
/// A write to the audit file fails part-way through a line, as on a full disk: the line and the ones after it reach
/// stderr only, the file is not tried on every line, and once it can be written again the half-written line is cut off
/// and the file resumes with an <c>audit_resumed</c> line, so <c>audit verify</c> reports a gap (exit 3), not a chain
/// broken at every later line, and stderr's chain stays whole.
/// </summary>
public sealed class AuditWriteFailureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-audit-write-").FullName;
    private readonly ManualTimeProvider _time = new();
    private readonly StringWriter _console = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Current => Path.Combine(_dir, "audit.jsonl");

    private static int Verify(string path) => AuditTrailText.Verify(path);

    private void Write(AuditLog log, int from, int count) => AuditTrailText.WriteToolCalls(log, _time, from, count, TimeSpan.FromMilliseconds(5));

    private List<string> ChainedConsoleLines() => AuditTrailText.ChainedLines(_console);

    [Fact]
    public void A_half_written_line_is_cut_off_and_the_file_resumes_with_the_gap_recorded()
    {
        using (var log = new AuditLog(_console, Current, _time))
        {
            Write(log, 0, 3);
            var diskFull = true;
            log.BeforeFileWrite = file =>
            {
                if (diskFull)
                {
                    file.Write("{\"ts\":\"2026-"u8);
                    throw new IOException("No space left on device");
                }
            };

            // The failing line and the next ones within the first second: stderr only, the file tried once.
            Write(log, 3, 4);
            Assert.Single(_console.ToString().Split('\n'), l => l.Contains("\"audit_failure\"", StringComparison.Ordinal));

            // Meanwhile the head records the loss: verify reports a gap in progress, not the half-written line as a break.
            Assert.Equal(3, Verify(Current));

            diskFull = false;
            _time.Advance(TimeSpan.FromSeconds(1));
            Write(log, 7, 2);
        }

        var fileLines = File.ReadAllLines(Current);
        Assert.Equal(3 + 1 + 2, fileLines.Length);
        var resumed = JsonDocument.Parse(fileLines[3]).RootElement;
        Assert.Equal(AuditLog.ResumedEvent, resumed.GetProperty("event").GetString());
        Assert.Equal(4, resumed.GetProperty("counts").GetProperty(AuditLog.MissingLinesCount).GetInt64());
        var notes = resumed.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Contains($"missing_after={AuditChain.Hash(fileLines[2])}", notes);

        // Stderr holds every line in one unbroken chain, and the gap's first line is the one whose write failed.
        var console = ChainedConsoleLines();
        Assert.Equal(3 + 4 + 1 + 2, console.Count);
        Assert.Null(AuditChain.Verify(console));
        Assert.Contains($"missing_first={AuditChain.Hash(console[3])}", notes);
        Assert.Equal("list_alerts_003", JsonDocument.Parse(console[3]).RootElement.GetProperty("tool").GetString());
        Assert.Equal(console[7], fileLines[3]);

        Assert.Equal(3, Verify(Current));
        var check = AuditChain.Check(fileLines);
        Assert.Null(check.BrokenAt);
        Assert.Equal(4, Assert.Single(check.Gaps).MissingLines);
    }

    [Fact]
    public void A_file_still_full_is_tried_again_with_back_off_not_on_every_line()
    {
        using var log = new AuditLog(_console, Current, _time);
        Write(log, 0, 2);
        log.BeforeFileWrite = _ => throw new IOException("No space left on device");
        Write(log, 2, 1);
        for (var second = 0; second < 10; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Write(log, 3 + second, 1);
        }

        // Tries at 1, 3 and 7 s (doubling) over ten seconds of lines, not one per line: each reopen succeeds, and its
        // resume line's write fails again.
        var failures = _console.ToString().Split('\n').Count(l => l.Contains("\"audit_failure\"", StringComparison.Ordinal));
        Assert.InRange(failures, 2, 5);
        Assert.Equal(2, File.ReadAllLines(Current).Length);
        Assert.Null(AuditChain.Verify(ChainedConsoleLines()));
    }
}
