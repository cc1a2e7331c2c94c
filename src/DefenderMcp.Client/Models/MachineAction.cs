using System.Text.Json;

namespace DefenderMcp.Client;

/// <summary>A Defender for Endpoint machine action (a response action and its progress).</summary>
/// <param name="Id">Action id (GUID).</param>
/// <param name="Type">Isolate, Unisolate, RestrictCodeExecution, RunAntiVirusScan, CollectInvestigationPackage, Offboard, StopAndQuarantineFile, ...</param>
/// <param name="Scope">Full/Selective for isolation, Quick/Full for a scan, else null.</param>
/// <param name="Status">Pending, InProgress, Succeeded, Failed, TimeOut, Cancelled.</param>
/// <param name="MachineId">The machine.</param>
/// <param name="ComputerDnsName">The machine's name.</param>
/// <param name="Requestor">Who asked.</param>
/// <param name="RequestorComment">Why.</param>
/// <param name="Title">Portal title.</param>
/// <param name="CreationDateTimeUtc">When it was asked.</param>
/// <param name="LastUpdateDateTimeUtc">Last status change.</param>
/// <param name="CancellationRequestor">Who cancelled it, if anyone.</param>
/// <param name="CancellationComment">Why it was cancelled.</param>
/// <param name="RelatedFileIdentifier">The file hash of a stop-and-quarantine action.</param>
/// <param name="Raw">The action object as received.</param>
public sealed record MachineAction(
    string Id,
    string? Type,
    string? Scope,
    string? Status,
    string? MachineId,
    string? ComputerDnsName,
    string? Requestor,
    string? RequestorComment,
    string? Title,
    DateTimeOffset? CreationDateTimeUtc,
    DateTimeOffset? LastUpdateDateTimeUtc,
    string? CancellationRequestor,
    string? CancellationComment,
    string? RelatedFileIdentifier,
    JsonElement Raw);
