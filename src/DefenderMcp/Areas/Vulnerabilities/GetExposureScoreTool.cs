using System.Text.Json.Nodes;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary><c>get_exposure_score</c>: the tenant's exposure score, per device group, and its device configuration score.</summary>
public sealed class GetExposureScoreTool(ToolServices services) : DefenderTool(Spec, services)
{
    private const int MaxGroups = 100;

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_exposure_score",
        Title = "Get exposure score",
        Description = "Gets the tenant's Defender Vulnerability Management exposure score (0-100, lower is better) overall and per device group, and the device configuration score (Secure Score for Devices).",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(ExposureScoreOutput),
        Parameters = [SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken) =>
        RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var exposure = await client.GetExposureScoreAsync(ct).ConfigureAwait(false);
                var groups = await client.ListExposureScoreByGroupAsync(MaxGroups + 1, ct).ConfigureAwait(false);
                var configuration = await client.GetConfigurationScoreAsync(ct).ConfigureAwait(false);
                var shown = groups.Take(MaxGroups).Select(g => new GroupScoreOutput(Text.Clip(g.RbacGroupName, 128), g.Score)).ToList();
                call.Count("items", shown.Count);
                return ToJson(new ExposureScoreOutput(tenant.Key, exposure.Score, exposure.Time, shown, configuration.Score, groups.Count > MaxGroups));
            },
            cancellationToken);
}
