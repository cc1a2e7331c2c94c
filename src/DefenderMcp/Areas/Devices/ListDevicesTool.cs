using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Devices;

/// <summary><c>list_devices</c>: devices by structured filters; never raw OData from the model.</summary>
public sealed partial class ListDevicesTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "list_devices",
        Title = "List devices",
        Description = "Lists Defender for Endpoint devices by structured filters (name prefix, health, risk, exposure, OS, tag, last seen). Use it to find a device's id before get_device or a response action.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(DeviceListOutput),
        InputSchema = Schema.Object(
            [],
            ("name_prefix", Schema.String("Computer DNS name starts with this.", 100, "^[A-Za-z0-9._-]{1,100}$")),
            ("health_status", Schema.Enum("Health status.", "Active", "Inactive", "ImpairedCommunication", "NoSensorData", "NoSensorDataImpairedCommunication", "Unknown")),
            ("risk_score", Schema.Enum("Risk score.", "None", "Informational", "Low", "Medium", "High")),
            ("exposure_level", Schema.Enum("Exposure level.", "None", "Low", "Medium", "High")),
            ("os_platform", Schema.String("OS platform, e.g. Windows11, WindowsServer2022, Linux.", 50, "^[A-Za-z0-9]{1,50}$")),
            ("tag", Schema.String("Device tag.", 100, "^[A-Za-z0-9 ._-]{1,100}$")),
            ("last_seen_after", Schema.String("Seen after this ISO-8601 time.", 40, format: "date-time")),
            ("limit", Schema.Integer("How many (default 25, at most 100).", 1, 100, 25)),
            ("tenant", Schema.Tenant(allowFanOut: true))),
    };

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex Prefix();

    [GeneratedRegex("^[A-Za-z0-9]{1,50}$")]
    private static partial Regex Os();

    [GeneratedRegex("^[A-Za-z0-9 ._-]{1,100}$")]
    private static partial Regex Tag();

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var a = call.Arguments;
        var filter = new MachineFilter
        {
            NamePrefix = a.OptionalString("name_prefix", 100, Prefix()),
            HealthStatus = a.OptionalEnum("health_status", ["Active", "Inactive", "ImpairedCommunication", "NoSensorData", "NoSensorDataImpairedCommunication", "Unknown"]),
            RiskScore = a.OptionalEnum("risk_score", ["None", "Informational", "Low", "Medium", "High"]),
            ExposureLevel = a.OptionalEnum("exposure_level", ["None", "Low", "Medium", "High"]),
            OsPlatform = a.OptionalString("os_platform", 50, Os()),
            Tag = a.OptionalString("tag", 100, Tag()),
            LastSeenAfter = a.OptionalDateTime("last_seen_after"),
        };
        var limit = a.Integer("limit", 1, 100, 25);
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
