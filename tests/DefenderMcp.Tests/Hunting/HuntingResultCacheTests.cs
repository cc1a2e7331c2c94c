using System.Text;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Client;

namespace DefenderMcp.Tests.Hunting;

public sealed class HuntingResultCacheTests
{
    private static HuntingResult Result(int rows, int rowBytes) => new(
        [new HuntingColumn("A", "String")],
        [.. Enumerable.Range(0, rows).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes($"{{\"A\":\"{new string('x', rowBytes)}{i}\"}}"))],
        rows * rowBytes);

    [Fact]
    public void A_transcripts_tier_survives_the_shared_store_and_an_unknown_tier_reads_as_the_highest()
    {
        var cache = new HuntingResultCache(10_000_000, TimeSpan.FromMinutes(30), new ManualTimeProvider());
        var transcript = cache.Add("contoso", "live response", string.Empty, Result(2, 10), DefenderMcp.Configuration.ActionTier.LiveResponse)!;
        var hunt = cache.Add("contoso", "T", "P1D", Result(2, 10))!;
        var forged = Encoding.UTF8.GetString(CachedResultCodec.Encode(transcript)).Replace("\"tier\":\"LiveResponse\"", "\"tier\":\"Godmode\"", StringComparison.Ordinal);

        Assert.Equal(DefenderMcp.Configuration.ActionTier.LiveResponse, CachedResultCodec.Decode("x", CachedResultCodec.Encode(transcript))!.Tier);
        Assert.Equal(DefenderMcp.Configuration.ActionTier.Read, CachedResultCodec.Decode("y", CachedResultCodec.Encode(hunt))!.Tier);
        Assert.Contains("Godmode", forged, StringComparison.Ordinal);
        Assert.Equal(DefenderMcp.Configuration.ActionTier.LiveResponse, CachedResultCodec.Decode("z", Encoding.UTF8.GetBytes(forged))!.Tier);
    }

    [Fact]
    public void Entries_expire_after_their_time_to_live()
    {
        var time = new ManualTimeProvider();
        var cache = new HuntingResultCache(10_000_000, TimeSpan.FromMinutes(30), time);
        var entry = cache.Add("contoso", "T", "P1D", Result(3, 10))!;

        time.Advance(TimeSpan.FromMinutes(29));
        Assert.NotNull(cache.TryGet(entry.ResultId, "contoso"));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(cache.TryGet(entry.ResultId, "contoso"));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void The_least_recently_used_entries_go_first_when_memory_runs_out()
    {
        var cache = new HuntingResultCache(40_000, TimeSpan.FromMinutes(30), new ManualTimeProvider());
        var a = cache.Add("contoso", "A", "P1D", Result(100, 100))!;
        var b = cache.Add("contoso", "B", "P1D", Result(100, 100))!;
        Assert.NotNull(cache.TryGet(a.ResultId, null)); // a is now more recent than b

        var c = cache.Add("contoso", "C", "P1D", Result(100, 100))!;

        Assert.Null(cache.TryGet(b.ResultId, null));
        Assert.NotNull(cache.TryGet(a.ResultId, null));
        Assert.NotNull(cache.TryGet(c.ResultId, null));
        Assert.True(cache.Bytes <= 40_000);
    }

    [Fact]
    public void A_result_larger_than_the_cache_is_not_kept()
    {
        var cache = new HuntingResultCache(10_000, TimeSpan.FromMinutes(30), new ManualTimeProvider());

        Assert.Null(cache.Add("contoso", "T", "P1D", Result(1000, 100)));
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void A_handle_never_crosses_tenants_and_ids_are_unguessable()
    {
        var cache = new HuntingResultCache(1_000_000, TimeSpan.FromMinutes(30), new ManualTimeProvider());
        var entry = cache.Add("contoso", "T", "P1D", Result(1, 1))!;
        var other = cache.Add("contoso", "T", "P1D", Result(1, 1))!;

        Assert.Null(cache.TryGet(entry.ResultId, "fabrikam"));
        Assert.NotNull(cache.TryGet(entry.ResultId, "contoso"));
        Assert.NotEqual(entry.ResultId, other.ResultId);
        Assert.Matches("^hr_[A-Za-z0-9_-]{22}$", entry.ResultId);
    }
}
