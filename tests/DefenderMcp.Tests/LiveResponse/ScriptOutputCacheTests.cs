using System.Text.Json;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Areas.LiveResponse;
using DefenderMcp.Client;

namespace DefenderMcp.Tests.LiveResponse;

// A script's transcript becomes one cached row per line: output then errors, long lines continued under the same
// line number, bound to its tenant.
public sealed class ScriptOutputCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<(string Stream, int Line, string Text)> Rows(CachedHuntingResult entry) =>
        [.. entry.Result.Rows.Select(r => JsonDocument.Parse(r).RootElement).Select(r => (r.GetProperty("Stream").GetString()!, r.GetProperty("Line").GetInt32(), r.GetProperty("Text").GetString()!))];

    [Fact]
    public async Task Output_and_errors_become_rows_and_a_long_line_continues_under_its_number()
    {
        var cache = new HuntingResultCache(1024 * 1024, TimeSpan.FromMinutes(30), TimeProvider.System);
        var longLine = new string('x', ScriptOutputCache.MaxRowChars + 5);
        var transcript = new LiveResponseScriptResult("s.ps1", 2, $"first\r\n{longLine}\r\n\r\nlast", "boom\n");

        var id = await ScriptOutputCache.StoreAsync(cache, "contoso", "a1", 0, "s.ps1", transcript, Ct);

        var entry = await cache.TryGetAsync(id!, "contoso", Ct);
        Assert.Equal(
            [("output", 1, "first"), ("output", 2, new string('x', ScriptOutputCache.MaxRowChars)), ("output", 2, "xxxxx"), ("output", 3, string.Empty), ("output", 4, "last"), ("errors", 1, "boom")],
            Rows(entry!));
        Assert.Equal(["Stream", "Line", "Text"], entry!.Result.Schema.Select(c => c.Name));
        Assert.Null(await cache.TryGetAsync(id!, "fabrikam", Ct));
    }
}
