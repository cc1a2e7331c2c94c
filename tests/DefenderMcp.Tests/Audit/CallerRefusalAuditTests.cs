using System.Text.Json;
using DefenderMcp.Audit;
using DefenderMcp.Tests.Hunting;

namespace DefenderMcp.Tests.Audit;

/// <summary>
/// caller_refused lines: one per source and reason per window, the refusals in between carried as counts.suppressed on
/// the next line (or on a line once the window has passed), every refusal counted once, and the hash chain intact.
/// </summary>
public sealed class CallerRefusalAuditTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-refusals-").FullName;
    private readonly ManualTimeProvider _time = new();
    private readonly AuditLog _log;
    private readonly CallerRefusalAudit _refusals;

    public CallerRefusalAuditTests()
    {
        _log = new AuditLog(new StringWriter(), Path.Combine(_dir, "audit.jsonl"), _time);
        _refusals = new CallerRefusalAudit(_log, _time, Window);
    }

    public void Dispose()
    {
        _refusals.Dispose();
        _log.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_flood_from_one_source_is_one_line_per_window_and_the_next_line_carries_the_count()
    {
        for (var i = 0; i < 500; i++)
        {
            _refusals.Refused(new CallerRefusal(CallerRefusals.UnknownApiKey, "/mcp", Remote: "203.0.113.7"));
        }

        Assert.Single(Lines());
        _time.Advance(Window);
        _refusals.Refused(new CallerRefusal(CallerRefusals.UnknownApiKey, "/mcp", Remote: "203.0.113.7"));

        var lines = Lines();
        Assert.Equal(2, lines.Count);
        Assert.Equal([0L, 499L], lines.Select(Suppressed));
        var first = lines[0];
        Assert.Equal("caller_refused", first.GetProperty("event").GetString());
        Assert.Equal("unknown_api_key", first.GetProperty("reason").GetString());
        Assert.Equal("/mcp", first.GetProperty("path").GetString());
        Assert.Equal("203.0.113.7", first.GetProperty("remote").GetString());
        Assert.False(first.TryGetProperty("caller", out _));
        Assert.Null(AuditChain.Verify(File.ReadAllLines(Path.Combine(_dir, "audit.jsonl"))));
    }

    [Fact]
    public void Sources_and_reasons_have_their_own_windows_and_a_known_caller_is_named_not_its_address()
    {
        _refusals.Refused(new CallerRefusal(CallerRefusals.TenantNotGranted, "/mcp", "ci-bot", "api_key", "10.0.0.1", "list_alerts"));
        _refusals.Refused(new CallerRefusal(CallerRefusals.TierNotGranted, "/mcp", "ci-bot", "api_key", Tool: "isolate_device"));
        _refusals.Refused(new CallerRefusal(CallerRefusals.TenantNotGranted, "/mcp", "analyst", "api_key", Tool: "list_alerts"));
        _refusals.Refused(new CallerRefusal(CallerRefusals.TenantNotGranted, "/mcp", "ci-bot", "api_key", Tool: "list_incidents"));

        var lines = Lines();
        Assert.Equal(3, lines.Count);
        Assert.Equal(["tenant_not_granted", "tier_not_granted", "tenant_not_granted"], lines.Select(l => l.GetProperty("reason").GetString()));
        Assert.Equal(["ci-bot", "ci-bot", "analyst"], lines.Select(l => l.GetProperty("caller").GetProperty("name").GetString()));
        Assert.Equal("list_alerts", lines[0].GetProperty("tool").GetString());
        Assert.False(lines[0].TryGetProperty("remote", out _));
    }

    [Fact]
    public void A_flood_that_stops_still_has_its_count_written_once_the_window_has_passed()
    {
        for (var i = 0; i < 7; i++)
        {
            _refusals.Refused(new CallerRefusal(CallerRefusals.InvalidBearer, "/mcp", Remote: "198.51.100.2"));
        }

        _refusals.Sweep();
        Assert.Single(Lines());
        _time.Advance(Window);
        _refusals.Sweep();
        _time.Advance(Window);
        _refusals.Sweep();
        _time.Advance(Window);
        _refusals.Refused(new CallerRefusal(CallerRefusals.InvalidBearer, "/mcp", Remote: "198.51.100.2"));

        // 1 + 0, then the 6 suppressed as 1 + 5, then the new one on its own: 8 refusals in all.
        var lines = Lines();
        Assert.Equal([0L, 5L, 0L], lines.Select(Suppressed));
        Assert.Equal(8, lines.Sum(l => 1 + Suppressed(l)));
    }

    [Fact]
    public void Text_from_the_request_is_clipped_and_cleaned()
    {
        _refusals.Refused(new CallerRefusal(CallerRefusals.UnknownApiKey, "/mcp/\u202Eevil\nline" + new string('a', 500), Remote: "::1"));

        var path = Lines()[0].GetProperty("path").GetString()!;
        Assert.Equal(AuditText.MaxLength, path.Length);
        Assert.StartsWith("/mcp/?evil?line", path, StringComparison.Ordinal);
    }

    private static long Suppressed(JsonElement line) => line.GetProperty("counts").GetProperty("suppressed").GetInt64();

    private List<JsonElement> Lines() =>
        [.. File.ReadAllLines(Path.Combine(_dir, "audit.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
}
