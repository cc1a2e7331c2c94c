using DefenderMcp.Audit;
using DefenderMcp.Tests.Hunting;

namespace DefenderMcp.Tests.Audit;

/// <summary>
/// Two writers on one audit file (a server and <c>defender-mcp call</c>, or two clients that start the server alike):
/// each line lands after the other's and chains to it. Before, each wrote at the offset it remembered, over the other's
/// lines, and chained to its own last line, so the trail lost lines (an <c>action_intent</c> among them) and broke.
/// The cross-process lock itself is exercised with real processes in the E2E <c>CallCommandTests</c>.
/// </summary>
public sealed class AuditSharedFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-audit-shared-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Current => Path.Combine(_dir, "audit.jsonl");

    private static int Verify(params string[] paths) => DefenderMcp.Cli.AuditCommand.Create().Parse(["verify", .. paths]).Invoke();

    [Fact]
    public void Lines_of_two_writers_on_one_file_interleave_whole_and_chain()
    {
        using var server = new AuditLog(new StringWriter(), Current, new ManualTimeProvider());
        using var call = new AuditLog(new StringWriter(), Current, new ManualTimeProvider());
        var expected = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var (writer, name) = i % 3 == 2 ? (call, $"call_{i}") : (server, $"server_{i}");
            writer.Write(new AuditRecord { Event = "tool_call", Tool = name }, toDisk: i == 4);
            expected.Add(name);
        }

        var lines = File.ReadAllLines(Current);
        Assert.Equal(expected, lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("tool").GetString()));
        Assert.Null(AuditChain.Verify(lines));
        Assert.Equal(6, AuditHead.TryRead(AuditHead.PathFor(Current))!.Lines);
        Assert.Equal(0, Verify(Current));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(AuditFileLock.PathFor(Current)));
        }
    }

    [Fact]
    public void A_writer_follows_a_rotation_made_by_another_and_the_trail_stays_whole()
    {
        var time = new ManualTimeProvider();
        using var rotating = new AuditLog(new StringWriter(), Current, time, maxFileBytes: 2_000);
        using var other = new AuditLog(new StringWriter(), Current, time);
        for (var i = 0; i < 30; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(5));
            (i % 2 == 0 ? rotating : other).Write(new AuditRecord { Event = "tool_call", Tool = $"t{i:D2}", Tenants = ["contoso"] });
        }

        string[] trail = [.. Directory.GetFiles(_dir, "audit.2*.jsonl").Order(StringComparer.Ordinal), Current];
        Assert.True(trail.Length > 2);
        var tools = trail.SelectMany(File.ReadAllLines).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("tool", out _)).Select(e => e.GetProperty("tool").GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"t{i:D2}"), tools);
        Assert.Equal(0, Verify(trail));
    }
}
