using System.Text.Json.Nodes;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary><c>list_vulnerabilities</c>: the CVEs of the tenant, of one device or of one product, by severity or CVE id.</summary>
public sealed class ListVulnerabilitiesTool(ToolServices services) : DefenderTool(Spec, services)
{
    private static readonly ToolParameter Device = VulnerabilityArguments.Device("Only this device's vulnerabilities: device id (40 hex characters) or computer DNS name.");
    private static readonly ToolParameter Cve = VulnerabilityArguments.Cve.Described("Only this CVE, e.g. CVE-2023-36884.");
    private static readonly ToolParameter Limit = VulnerabilityArguments.Limit("vulnerabilities");

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "list_vulnerabilities",
        Title = "List vulnerabilities",
        Description = "Lists vulnerabilities (CVEs) from Defender Vulnerability Management: the tenant's, one device's or one product's (give device or software), optionally one severity or one CVE. " +
            "Each has its CVSS score, exploit facts and how many devices it exposes; then get_vulnerability for the exposed devices.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(VulnerabilityListOutput),
        Parameters = [Device, VulnerabilityArguments.Software, Cve, VulnerabilityArguments.Severity, Limit, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var device = call.Arguments.OptionalString(Device);
        var software = VulnerabilityArguments.OptionalSoftware(call.Arguments);
        var cve = VulnerabilityArguments.OptionalCve(call.Arguments, Cve);
        var severity = call.Arguments.OptionalEnum(VulnerabilityArguments.Severity);
        var limit = call.Arguments.Integer(Limit);
        if (device is not null && software is not null)
        {
            throw ToolException.InvalidInput("Give 'device' or 'software', not both.");
        }

        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                Machine? machine = device is null ? null : await DeviceArguments.ResolveAsync(call, client, ct).ConfigureAwait(false);
                IReadOnlyList<Vulnerability> found;
                if (machine is null && software is null)
                {
                    found = await client.ListVulnerabilitiesAsync(severity, cve, limit + 1, ct).ConfigureAwait(false);
                }
                else
                {
                    // These lists document no $filter: read them whole (bounded), filter here, worst first.
                    var all = machine is not null
                        ? await client.ListMachineVulnerabilitiesAsync(machine.Id, VulnerabilityArguments.MaxScanned, ct).ConfigureAwait(false)
                        : await ListSoftwareVulnerabilitiesAsync(client, software!, ct).ConfigureAwait(false);
                    found = [.. all.Where(v => Matches(v, severity, cve)).OrderByDescending(v => v.CvssV3 ?? -1).ThenBy(v => v.Id, StringComparer.Ordinal)];
                }

                var shown = found.Take(limit).Select(VulnerabilityOutput.From).ToList();
                call.Count("items", shown.Count);
                return ToJson(new VulnerabilityListOutput(tenant.Key, machine?.Id, Text.Clip(machine?.ComputerDnsName, 255), software, shown.Count, shown, found.Count > limit));
            },
            cancellationToken);
    }

    private static bool Matches(Vulnerability v, string? severity, string? cve) =>
        (severity is null || string.Equals(v.Severity, severity, StringComparison.OrdinalIgnoreCase)) &&
        (cve is null || string.Equals(v.Id, cve, StringComparison.OrdinalIgnoreCase));

    private static async Task<IReadOnlyList<Vulnerability>> ListSoftwareVulnerabilitiesAsync(DefenderClient client, string software, CancellationToken ct)
    {
        try
        {
            return await client.ListSoftwareVulnerabilitiesAsync(software, VulnerabilityArguments.MaxScanned, ct).ConfigureAwait(false);
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.NotFound)
        {
            throw new ToolException(ErrorCodes.NotFound, "No software with that id in this tenant. Use list_software to find it.");
        }
    }
}
