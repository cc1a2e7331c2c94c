using System.Text.Json;
using DefenderMcp.Audit;
using DefenderMcp.Tests.Hunting;

namespace DefenderMcp.Tests.Audit;

/// <summary>
/// Lines cut from the audit file while no server was writing it: the head still records where the last server left it,
/// so the next server begins with an <c>audit_truncated</c> line naming what the head expected and what the file held,
/// instead of rewriting the head to match and chaining on as if nothing had happened. <c>audit verify</c> reports it
/// (exit 4), once: the line is in the chain, and the head matches again from there on.
/// </summary>
public sealed class AuditTruncationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-audit-cut-").FullName;
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Current => Path.Combine(_dir, "audit.jsonl");

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement;

    private static string Event(string line) => Parse(line).GetProperty("event").GetString()!;

    private string[] WriteAndStop(int count, StringWriter? console = null)
    {
        using (var log = new AuditLog(console ?? new StringWriter(), Current, _time))
        {
            AuditTrailText.WriteToolCalls(log, _time, 0, count, TimeSpan.FromMilliseconds(5));
        }

        return File.ReadAllLines(Current);
    }

    private void Restart(int calls, StringWriter? console = null)
    {
        using var log = new AuditLog(console ?? new StringWriter(), Current, _time);
        AuditTrailText.WriteToolCalls(log, _time, 100, calls, TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public void Lines_cut_while_the_server_was_stopped_are_recorded_by_the_next_server_and_reported_once()
    {
        var original = WriteAndStop(5);
        File.WriteAllLines(Current, original[..3]);

        Restart(1);

        var lines = File.ReadAllLines(Current);
        Assert.Equal(5, lines.Length);
        Assert.Equal(AuditTruncation.Event, Event(lines[3]));
        var cut = Parse(lines[3]);
        Assert.Equal(5, cut.GetProperty("counts").GetProperty("expected_lines").GetInt64());
        Assert.Equal(3, cut.GetProperty("counts").GetProperty("found_lines").GetInt64());
        var notes = cut.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Contains($"expected_hash={AuditChain.Hash(original[4])}", notes);
        Assert.Contains($"found_hash={AuditChain.Hash(original[2])}", notes);
        Assert.Equal(AuditChain.Hash(original[2]), cut.GetProperty("prev_hash").GetString());
        Assert.Equal("tool_call", Event(lines[4]));

        var check = AuditChain.Check(lines);
        Assert.Null(check.BrokenAt);
        var found = Assert.Single(check.Truncations);
        Assert.Equal(new AuditTruncation(4, 5, AuditChain.Hash(original[4]), 3, AuditChain.Hash(original[2])), found);
        Assert.Empty(check.Gaps);
        Assert.Equal(4, AuditTrailText.Verify(Current));

        // Reported once: the head matches the file again, so a further restart adds nothing.
        Restart(1);
        Assert.Single(AuditChain.Check(File.ReadAllLines(Current)).Truncations);
        Assert.Single(File.ReadAllLines(Current), l => Event(l) == AuditTruncation.Event);
        Assert.Equal(4, AuditTrailText.Verify(Current));
    }

    [Fact]
    public void The_truncated_line_reaches_stderr_first_and_breaks_stderrs_chain_where_the_file_was_cut()
    {
        var console = new StringWriter();
        var original = WriteAndStop(4, console);
        File.WriteAllLines(Current, original[..2]);

        var after = new StringWriter();
        Restart(1, after);

        var stderr = AuditTrailText.ChainedLines(after);
        Assert.Equal([AuditTruncation.Event, "tool_call"], stderr.Select(Event));
        Assert.Equal(File.ReadAllLines(Current)[2..], stderr);

        // Across both servers, stderr's chain breaks exactly at the line that says so.
        var both = new StringWriter();
        both.Write(console.ToString() + after.ToString());
        Assert.Equal(5, AuditChain.Verify(AuditTrailText.ChainedLines(both)));
    }

    [Fact]
    public void A_removed_file_whose_head_remains_begins_again_with_the_truncated_line()
    {
        var original = WriteAndStop(3);
        File.Delete(Current);

        Restart(1);

        var lines = File.ReadAllLines(Current);
        Assert.Equal([AuditTruncation.Event, "tool_call"], lines.Select(Event));
        Assert.Equal(string.Empty, Parse(lines[0]).GetProperty("prev_hash").GetString());
        Assert.Equal(new AuditTruncation(1, 3, AuditChain.Hash(original[2]), 0, string.Empty), Assert.Single(AuditChain.Check(lines).Truncations));
        Assert.Equal(4, AuditTrailText.Verify(Current));
    }

    [Fact]
    public void A_file_rewritten_to_as_many_lines_is_recorded_as_well()
    {
        var original = WriteAndStop(3);
        using (var other = new AuditLog(new StringWriter(), Path.Combine(_dir, "other.jsonl"), _time))
        {
            AuditTrailText.WriteToolCalls(other, _time, 50, 3, TimeSpan.FromMilliseconds(5));
        }

        File.Copy(Path.Combine(_dir, "other.jsonl"), Current, overwrite: true);

        Restart(1);

        var cut = Assert.Single(AuditChain.Check(File.ReadAllLines(Current)).Truncations);
        Assert.Equal((3L, 3L), (cut.ExpectedLines, cut.FoundLines));
        Assert.Equal(AuditChain.Hash(original[2]), cut.ExpectedHash);
        Assert.Contains("is not the one the head recorded", cut.Explanation, StringComparison.Ordinal);
        Assert.Equal(4, AuditTrailText.Verify(Current));
    }

    [Fact]
    public void A_file_one_line_past_its_head_is_not_a_cut()
    {
        // A server stopped between writing a line and rewriting the head: the file holds the head's line and one more.
        var original = WriteAndStop(3);
        var head = File.ReadAllBytes(AuditHead.PathFor(Current));
        using (var log = new AuditLog(new StringWriter(), Current, _time))
        {
            AuditTrailText.WriteToolCalls(log, _time, 3, 1, TimeSpan.FromMilliseconds(5));
        }

        File.WriteAllBytes(AuditHead.PathFor(Current), head);
        Assert.Equal(1, AuditTrailText.Verify(Current));

        Restart(1);

        var lines = File.ReadAllLines(Current);
        Assert.Equal(5, lines.Length);
        Assert.DoesNotContain(lines, l => Event(l) == AuditTruncation.Event);
        Assert.Equal(original, lines[..3]);
        Assert.Equal(0, AuditTrailText.Verify(Current));
    }

    [Fact]
    public void A_server_that_stopped_during_a_loss_records_the_gap_alone_not_a_cut_as_well()
    {
        using (var log = new AuditLog(new StringWriter(), Current, _time))
        {
            AuditTrailText.WriteToolCalls(log, _time, 0, 3, TimeSpan.FromMilliseconds(5));
            log.BeforeFileWrite = _ => throw new IOException("No space left on device");
            AuditTrailText.WriteToolCalls(log, _time, 3, 2, TimeSpan.FromMilliseconds(5));
        }

        Restart(1);

        var lines = File.ReadAllLines(Current);
        Assert.DoesNotContain(lines, l => Event(l) == AuditTruncation.Event);
        var check = AuditChain.Check(lines);
        Assert.Equal(2, Assert.Single(check.Gaps).MissingLines);
        Assert.Empty(check.Truncations);
        Assert.Equal(3, AuditTrailText.Verify(Current));
    }

    [Fact]
    public void An_unchanged_file_and_a_new_one_record_nothing()
    {
        WriteAndStop(2);
        Restart(1);
        File.Delete(AuditHead.PathFor(Current));
        File.Move(Current, Path.Combine(_dir, "kept.jsonl"));
        Restart(1);

        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(_dir, "kept.jsonl")).Concat(File.ReadAllLines(Current)), l => Event(l) == AuditTruncation.Event);
        Assert.Equal(0, AuditTrailText.Verify(Current));
    }
}
