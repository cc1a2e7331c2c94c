using System.Globalization;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.MachineActions;

/// <summary>A machine action as reported to the model.</summary>
public sealed record MachineActionOutput(string Id, string? Type, string? Scope, string? Status, string? MachineId, string? ComputerDnsName, string? Requestor, string? RequestorComment, string? CreationDateTimeUtc, string? LastUpdateDateTimeUtc)
{
    /// <summary>Maps the client's machine action; upstream strings are clipped.</summary>
    public static MachineActionOutput From(MachineAction a)
    {
        ArgumentNullException.ThrowIfNull(a);
        static string? S(string? value) => Text.Clip(value, 1000);
        static string? Time(DateTimeOffset? value) => value?.UtcDateTime.ToString("o", CultureInfo.InvariantCulture);
        return new MachineActionOutput(S(a.Id) ?? string.Empty, S(a.Type), S(a.Scope), S(a.Status), S(a.MachineId), S(a.ComputerDnsName), S(a.Requestor), S(a.RequestorComment), Time(a.CreationDateTimeUtc), Time(a.LastUpdateDateTimeUtc));
    }
}
