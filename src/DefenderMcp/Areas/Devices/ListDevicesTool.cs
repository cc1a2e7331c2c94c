using System.Text.Json.Nodes;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Devices;

/// <summary><c>list_devices</c>: devices by structured filters; never raw OData from the model.</summary>
public sealed class ListDevicesTool(ToolServices services) : DefenderTool(Spec, services)
{
    private static readonly ToolParameter NamePrefix = ToolParameter.String("name_prefix", "Computer DNS name starts with this.", 100, "^[A-Za-z0-9._-]{1,100}$");
    private static readonly ToolParameter HealthStatus = ToolParameter.Enum("health_status", "Health status.", FilterValues.HealthStatuses);
    private static readonly ToolParameter RiskScore = ToolParameter.Enum("risk_score", "Risk score.", FilterValues.RiskScores);
    private static readonly ToolParameter ExposureLevel = ToolParameter.Enum("exposure_level", "Exposure level.", FilterValues.ExposureLevels);
    private static readonly ToolParameter OsPlatform = ToolParameter.String("os_platform", "OS platform, e.g. Windows11, WindowsServer2022, Linux.", 50, "^[A-Za-z0-9]{1,50}$");
    private static readonly ToolParameter Tag = ToolParameter.String("tag", "Device tag.", 100, "^[A-Za-z0-9 ._-]{1,100}$");
    private static readonly ToolParameter LastSeenAfter = ToolParameter.DateTime("last_seen_after", "Seen after this ISO-8601 time.");

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "list_devices",
        Title = "List devices",
        Description = "Lists Defender for Endpoint devices by structured filters (name prefix, health, risk, exposure, OS, tag, last seen). Use it to find a device for get_device or an action.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(DeviceListOutput),
        Parameters = [NamePrefix, HealthStatus, RiskScore, ExposureLevel, OsPlatform, Tag, LastSeenAfter, SharedParameters.Limit, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var a = call.Arguments;
        var filter = new MachineFilter
        {
            NamePrefix = a.OptionalString(NamePrefix),
            HealthStatus = a.OptionalEnum(HealthStatus),
            RiskScore = a.OptionalEnum(RiskScore),
            ExposureLevel = a.OptionalEnum(ExposureLevel),
            OsPlatform = a.OptionalString(OsPlatform),
            Tag = a.OptionalString(Tag),
            LastSeenAfter = a.OptionalDateTime(LastSeenAfter),
        };
        var limit = a.Integer(SharedParameters.Limit);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var machines = await client.ListMachinesAsync(filter, limit, ct).ConfigureAwait(false);
                call.Count("items", machines.Count);
                return ToJson(new DeviceListOutput(tenant.Key, machines.Count, [.. machines.Select(DeviceOutput.From)]));
            },
            cancellationToken);
    }
}
