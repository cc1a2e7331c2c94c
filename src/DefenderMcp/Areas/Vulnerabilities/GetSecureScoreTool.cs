using System.Text.Json.Nodes;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary><c>get_secure_score</c>: the tenant's latest Microsoft Secure Score and its weakest controls.</summary>
public sealed class GetSecureScoreTool(ToolServices services) : DefenderTool(Spec, services)
{
    private static readonly ToolParameter Limit = VulnerabilityArguments.Limit("controls");

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_secure_score",
        Title = "Get secure score",
        Description = "Gets the tenant's latest Microsoft Secure Score (Graph): current and maximum score, comparison with similar tenants, and its controls lowest score first (where to improve).",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(SecureScoreOutput),
        Parameters = [Limit, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var limit = call.Arguments.Integer(Limit);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var score = await client.GetLatestSecureScoreAsync(ct).ConfigureAwait(false)
                    ?? throw new ToolException(ErrorCodes.NotFound, "This tenant has no Secure Score yet (it is computed daily).");
                var controls = score.ControlScores.OrderBy(c => c.Score ?? 0).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
                var shown = controls.Take(limit).Select(ControlScoreOutput.From).ToList();
                call.Count("items", shown.Count);
                double? percent = score.CurrentScore is { } current && score.MaxScore is > 0 and var max ? Math.Round(100 * current / max, 1) : null;
                return ToJson(new SecureScoreOutput(
                    tenant.Key,
                    score.CurrentScore,
                    score.MaxScore,
                    percent,
                    score.CreatedDateTime,
                    score.ActiveUserCount,
                    score.LicensedUserCount,
                    [.. score.EnabledServices.Take(30).Select(s => Text.Clip(s, 64)!)],
                    [.. score.AverageComparativeScores.Take(10).Select(c => new ComparativeScoreOutput(Text.Clip(c.Basis, 64), c.AverageScore))],
                    shown,
                    controls.Count > limit));
            },
            cancellationToken);
    }
}
