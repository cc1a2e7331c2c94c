using System.Text.Json;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.MachineActions;

/// <summary>A machine action as reported to the model.</summary>
public sealed record MachineActionOutput(string Id, string? Type, string? Scope, string? Status, string? MachineId, string? ComputerDnsName, string? Requestor, string? RequestorComment, string? CreationDateTimeUtc, string? LastUpdateDateTimeUtc)
{
    /// <summary>Maps an MDE MachineAction object.</summary>
    public static MachineActionOutput From(JsonElement e)
    {
        string? S(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? Text.Clip(v.GetString(), 1000) : null;
        return new MachineActionOutput(S("id") ?? string.Empty, S("type"), S("scope"), S("status"), S("machineId"), S("computerDnsName"), S("requestor"), S("requestorComment"), S("creationDateTimeUtc"), S("lastUpdateDateTimeUtc") ?? S("lastUpdateTimeUtc"));
    }
}
