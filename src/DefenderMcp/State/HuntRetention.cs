namespace DefenderMcp.State;

/// <summary>How much of a hunt's run history is kept: at most <paramref name="RunsPerHunt"/> runs and
/// <paramref name="BytesPerHunt"/> bytes of payload, oldest dropped first; the newest run is always kept.</summary>
/// <param name="RunsPerHunt">Runs kept per hunt (all tenants together).</param>
/// <param name="BytesPerHunt">Payload bytes kept per hunt (all tenants together).</param>
public sealed record HuntRetention(int RunsPerHunt, long BytesPerHunt)
{
    /// <summary>The defaults: 50 runs and 1 MiB per hunt.</summary>
    public static HuntRetention Default { get; } = new(50, 1024 * 1024);

    /// <summary>How many of <paramref name="newestFirstSizes"/> (sizes of a hunt's runs, newest first) to keep.</summary>
    public int Keep(IReadOnlyList<long> newestFirstSizes)
    {
        long bytes = 0;
        var keep = 0;
        foreach (var size in newestFirstSizes)
        {
            bytes += size;
            if (keep > 0 && (keep >= RunsPerHunt || bytes > BytesPerHunt))
            {
                break;
            }

            keep++;
        }

        return keep;
    }
}
