using DefenderMcp.Kql.Guard;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Hunting;

/// <summary>A hunting query that passed the guard, ready to run on any tenant.</summary>
/// <param name="Query">The KQL text, unchanged (the service sees the same bytes the guard saw).</param>
/// <param name="Timespan">The effective timespan.</param>
/// <param name="Warnings">Guard warnings, returned with every result.</param>
/// <param name="Notices">Notices such as a clamped timespan.</param>
public sealed record HuntingRun(string Query, HuntingTimespan Timespan, IReadOnlyList<string> Warnings, IReadOnlyList<string> Notices)
{
    /// <summary>What a refused query's author does next (the guard's reason names the construct).</summary>
    public const string RefusalAdvice = "Nothing was sent. Rewrite the query without that construct, or fix it as the reason says: hunting is read-only, so commands, external data, network or code plugins and set statements are always refused.";

    /// <summary>Checks <paramref name="query"/> with the KQL guard; throws <c>kql_refused</c> when it is refused.</summary>
    public static HuntingRun Prepare(string query, HuntingTimespan timespan)
    {
        var verdict = KqlGuard.Check(query, new KqlGuardOptions { Timespan = timespan.Value });
        if (!verdict.Allowed)
        {
            throw new ToolException(ErrorCodes.KqlRefused, $"Query refused by the KQL guard: {verdict.Rejection?.TrimEnd('.')}. {RefusalAdvice}");
        }

        return new HuntingRun(query, timespan, verdict.Warnings, timespan.Notice is null ? [] : [timespan.Notice]);
    }
}
