using System.Text.Json.Nodes;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Entities;

/// <summary><c>get_file_info</c>: a file by hash, its prevalence, signer and verdict, the devices that have it and its alerts.</summary>
public sealed class GetFileInfoTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_file_info",
        Title = "Get file info",
        Description = "Pivots on a file by SHA1 or SHA256: global and in-organization prevalence, first and last seen, signer and verdict, the devices that have it and the alerts that name it.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(FileInfoOutput),
        Parameters = [EntityArguments.Hash, EntityArguments.Limit, EntityArguments.LookBack, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var hash = EntityArguments.FileHash(call.Arguments);
        var limit = call.Arguments.Integer(EntityArguments.Limit);
        var lookBack = call.Arguments.Integer(EntityArguments.LookBack);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var file = await FileAsync(client, hash, tenant.Key, ct).ConfigureAwait(false);
                var stats = await client.GetFileStatsAsync(hash, lookBack, ct).ConfigureAwait(false);
                // The device and alert pivots take a SHA1 only: a SHA256 goes through the file's own SHA1.
                var sha1 = hash.Length == 40 ? hash : file.Sha1;
                var devices = sha1 is null ? [] : await client.ListFileMachinesAsync(sha1, limit + 1, ct).ConfigureAwait(false);
                var alerts = sha1 is null ? [] : await client.ListFileAlertsAsync(sha1, limit + 1, ct).ConfigureAwait(false);
                call.Count("items", Math.Min(devices.Count, limit) + Math.Min(alerts.Count, limit));
                return ToJson(new FileInfoOutput(
                    tenant.Key,
                    FileOutput.From(file, stats),
                    EntityStatsOutput.From(stats),
                    [.. devices.Take(limit).Select(DeviceOutput.From)],
                    [.. alerts.Take(limit).Select(EntityAlertOutput.From)],
                    devices.Count > limit || alerts.Count > limit));
            },
            cancellationToken);
    }

    // The hash was validated (hex only), so repeating it is safe.
    private static async Task<DefenderFile> FileAsync(DefenderClient client, string hash, string tenant, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetFileAsync(hash, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.NotFound)
        {
            throw new ToolException(ErrorCodes.NotFound, $"Defender knows no file with hash '{hash}' in tenant '{tenant}'. Check the hash (SHA1 or SHA256 of the file); query_advanced_hunting over DeviceFileEvents or DeviceProcessEvents finds the hashes its devices saw.");
        }
    }
}
