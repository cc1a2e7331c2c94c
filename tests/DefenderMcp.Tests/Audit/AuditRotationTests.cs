using System.Text.Json;
using DefenderMcp.Audit;
using DefenderMcp.Tests.Hunting;

namespace DefenderMcp.Tests.Audit;

/// <summary>
/// An audit file past its size is archived beside itself and a new one continues the chain with an
/// <c>audit_continued</c> line: no line is lost, each file verifies with its head, and <c>audit verify</c> over the
/// archives and the file finds a missing or altered archive.
/// </summary>
public sealed class AuditRotationTests : IDisposable
{
    private const int Records = 40;
    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-audit-rotation-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Current => Path.Combine(_dir, "audit.jsonl");

    private static int Verify(params string[] paths) => DefenderMcp.Cli.AuditCommand.Create().Parse(["verify", .. paths]).Invoke();

    // Oldest first: the archives sort by their UTC time stamp, the live file comes last.
    private string[] Trail() =>
        [.. Directory.GetFiles(_dir, "audit.2*.jsonl").Order(StringComparer.Ordinal), Current];

    private StringWriter WriteRecords(long maxBytes, int records = Records)
    {
        var console = new StringWriter();
        var time = new ManualTimeProvider();
        using var log = new AuditLog(console, Current, time, maxBytes);
        for (var i = 0; i < records; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(5));
            log.Write(new AuditRecord { Event = "tool_call", Tool = $"list_alerts_{i:D3}", Tenants = ["contoso"], Outcome = "success" });
        }

        return console;
    }

    [Fact]
    public void A_full_file_is_archived_and_the_chain_runs_on_across_files_with_no_line_lost()
    {
        var console = WriteRecords(2048);

        var trail = Trail();
        Assert.True(trail.Length >= 3, $"{trail.Length} files");
        var lines = trail.SelectMany(File.ReadAllLines).ToList();
        // Every record once, in order, and one audit_continued line at the head of each file after the first.
        var tools = lines.Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("event").GetString() == "tool_call").Select(e => e.GetProperty("tool").GetString()).ToList();
        Assert.Equal([.. Enumerable.Range(0, Records).Select(i => $"list_alerts_{i:D3}")], tools);
        foreach (var (file, index) in trail.Select((f, i) => (f, i)))
        {
            Assert.True(new FileInfo(file).Length <= 2048, $"{Path.GetFileName(file)} is {new FileInfo(file).Length} bytes");
            var first = JsonDocument.Parse(File.ReadLines(file).First()).RootElement;
            Assert.Equal(index == 0 ? "tool_call" : AuditLog.ContinuedEvent, first.GetProperty("event").GetString());
            if (index > 0)
            {
                Assert.Contains($"previous_file={Path.GetFileName(trail[index - 1])}", first.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
                Assert.Equal(AuditChain.Hash(File.ReadLines(trail[index - 1]).Last()), first.GetProperty("prev_hash").GetString());
            }

            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }

        // stderr carries the same lines, one unbroken chain.
        Assert.Equal(lines, console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Null(AuditChain.Verify(lines));
        Assert.Equal(0, Verify(trail));
    }

    [Fact]
    public void An_emptied_live_file_after_a_rotation_is_reported_as_cut_not_as_a_broken_join()
    {
        // verify said "BROKEN between" (exit 1, tampering) although the restart had recorded the cut in the file itself.
        WriteRecords(2048);
        File.WriteAllText(Current, string.Empty);
        WriteRecords(1 << 20, records: 1);

        var trail = Trail();
        Assert.Equal(AuditTruncation.Event, JsonDocument.Parse(File.ReadLines(Current).First()).RootElement.GetProperty("event").GetString());
        Assert.Equal(4, Verify(trail));
        Assert.Equal(4, Verify(Current));

        // A changed archive line is still tampering.
        var archive = File.ReadAllLines(trail[^2]);
        archive[1] = archive[1].Replace("list_alerts_", "list_alertz_", StringComparison.Ordinal);
        File.WriteAllLines(trail[^2], archive);
        Assert.Equal(1, Verify(trail));
    }

    [Fact]
    public void Each_file_verifies_alone_and_the_live_one_says_which_archive_it_continues()
    {
        WriteRecords(2048);
        var trail = Trail();

        Assert.All(trail, file => Assert.Equal(0, Verify(file)));
        var live = AuditChain.Check(File.ReadLines(Current));
        Assert.Equal(Path.GetFileName(trail[^2]), live.PreviousFile);
    }

    [Fact]
    public void A_missing_or_altered_archive_breaks_the_join()
    {
        WriteRecords(2048);
        var trail = Trail();

        Assert.Equal(1, Verify([trail[0], .. trail[2..]]));
        Assert.Equal(1, Verify([.. trail.Reverse()]));
        var middle = File.ReadAllLines(trail[1]);
        File.WriteAllLines(trail[1], middle[..^1]);
        File.WriteAllText(AuditHead.PathFor(trail[1]), $"{middle.Length - 1:D19} {AuditChain.Hash(middle[^2])}\n");
        Assert.Equal(0, Verify(trail[1]));
        Assert.Equal(1, Verify(trail));
    }

    [Fact]
    public void A_restart_continues_the_live_file_and_rotates_it_in_turn()
    {
        WriteRecords(4096, 10);
        WriteRecords(4096, 30);

        var trail = Trail();
        Assert.True(trail.Length >= 2, $"{trail.Length} files");
        Assert.Equal(40, trail.SelectMany(File.ReadAllLines).Count(l => l.Contains("\"tool_call\"", StringComparison.Ordinal)));
        Assert.Equal(0, Verify(trail));
    }

    [Fact]
    public void Without_a_size_the_file_is_never_rotated()
    {
        var console = new StringWriter();
        using (var log = new AuditLog(console, Current, new ManualTimeProvider()))
        {
            for (var i = 0; i < Records; i++)
            {
                log.Write(new AuditRecord { Event = "tool_call", Tool = "list_alerts" });
            }
        }

        Assert.Equal([Current], Trail());
        Assert.Equal(Records, File.ReadAllLines(Current).Length);
    }
}
