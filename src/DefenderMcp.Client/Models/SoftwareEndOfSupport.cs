namespace DefenderMcp.Client;

/// <summary>
/// A product's end of support, from the DeviceTvmSoftwareInventory hunting table (the Software entity has no such
/// field). Across several installed versions, the most pressing status wins, with its earliest date.
/// </summary>
/// <param name="SoftwareId">The MDE software id, <c>{vendor}-_-{name}</c>, lower case.</param>
/// <param name="Status">None, EOS Version, Upcoming EOS Version, EOS Software or Upcoming EOS Software.</param>
/// <param name="Date">When support ended or ends; null when none is known.</param>
public sealed record SoftwareEndOfSupport(string SoftwareId, string Status, DateTimeOffset? Date)
{
    /// <summary>The documented statuses, most pressing first (an ended product before an ended version, before upcoming ones).</summary>
    public static IReadOnlyList<string> Statuses { get; } = ["EOS Software", "EOS Version", "Upcoming EOS Software", "Upcoming EOS Version", "None"];

    /// <summary>How pressing a status is: 0 is the most; an unknown status ranks with None.</summary>
    public static int Rank(string? status)
    {
        for (var i = 0; i < Statuses.Count; i++)
        {
            if (string.Equals(Statuses[i], status, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return Statuses.Count - 1;
    }
}
