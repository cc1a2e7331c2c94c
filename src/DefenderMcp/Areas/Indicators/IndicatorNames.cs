using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Indicators;

/// <summary>
/// What a person confirming a removal needs to see: each indicator's type, value, action and title rather than bare
/// numbers. Ids that a complete listing lacks are refused before anyone confirms, since Defender would refuse the whole
/// batch (404) only after the confirmation and the budget were spent.
/// </summary>
public static class IndicatorNames
{
    /// <summary>How many indicators are listed to find the ones named; a tenant with more is not checked for unknown ids.</summary>
    public const int LookupLimit = 1000;

    /// <summary>Each of <paramref name="ids"/> described in words (or by id past the lookup limit); throws <c>not_found</c> for ids that do not exist.</summary>
    public static async Task<IReadOnlyList<string>> DescribeAsync(DefenderClient client, IReadOnlyList<string> ids, string tenant, CancellationToken cancellationToken)
    {
        var listed = await client.ListIndicatorsAsync(LookupLimit, cancellationToken).ConfigureAwait(false);
        var byId = listed.GroupBy(i => i.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var missing = ids.Where(id => !byId.ContainsKey(id)).ToList();
        if (listed.Count < LookupLimit && missing.Count > 0)
        {
            var more = missing.Count > 20 ? $" and {missing.Count - 20} more" : string.Empty;
            throw new ToolException(ErrorCodes.NotFound, $"No indicator with id {string.Join(", ", missing.Take(20))}{more} in tenant '{tenant}'; nothing was sent. list_indicators shows the indicators and their ids.");
        }

        return [.. ids.Select(id => byId.TryGetValue(id, out var known) ? Describe(known) : $"indicator {id}")];
    }

    // Upstream text, clipped: it is shown to a person and to the model.
    private static string Describe(Indicator indicator) =>
        $"{Text.Clip(indicator.IndicatorType, 40)} {Text.Clip(indicator.IndicatorValue, 200)} ({Text.Clip(indicator.Action, 40)}, \"{Text.Clip(indicator.Title, 200)}\", id {indicator.Id})";
}
