using System.Text.Json.Nodes;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client;

/// <summary>Machine actions (defender-api §3.5, §3.6): request one of <see cref="MachineActionKind.All"/>, cancel, list, get, package link.</summary>
public sealed partial class DefenderClient
{
    /// <summary>
    /// A response action on a machine. <paramref name="choice"/> is the kind's extra value (isolation or scan type;
    /// its default when null); <paramref name="sha1"/> is required by stop-and-quarantine. Reads the pending action.
    /// </summary>
    public DefenderRequest<MachineAction> RequestMachineAction(string machineId, MachineActionKind kind, string comment, string? choice = null, string? sha1 = null)
    {
        ArgumentNullException.ThrowIfNull(kind);

        // MDE body names are case-sensitive: Comment, IsolationType, ScanType, Sha1.
        var body = new JsonObject { ["Comment"] = WriteValidation.Text(comment, "comment", MachineActionKind.MaxCommentLength) };
        if (kind.Choice is { } option)
        {
            body[option.Field] = choice is null ? option.Default : WriteValidation.OneOf(choice, option.Field, option.Values);
        }
        else if (choice is not null)
        {
            throw WriteValidation.Invalid($"The {kind.Type} action takes no option.");
        }

        if (kind.NeedsSha1)
        {
            body["Sha1"] = WriteValidation.Sha1(sha1);
        }

        return Write(HttpMethod.Post, Mde($"api/machines/{Id(machineId)}/{kind.Path}"), DefenderApi.Mde, body, kind.Role, RateFamily.Mde("machines/" + kind.Path), Body(ModelReader.ReadMachineAction));
    }

    /// <summary>
    /// Cancels a pending machine action; reads it as it now is (Cancelled). <paramref name="actionType"/> (the
    /// cancelled action's type, when known) decides which role a <c>permission_denied</c> names first: the service
    /// accepts any one of the action roles (defender-api §3.5), and the action's own is the natural one to grant.
    /// </summary>
    public DefenderRequest<MachineAction> CancelMachineAction(string actionId, string comment, string? actionType = null) =>
        Write(
            HttpMethod.Post,
            Mde($"api/machineactions/{Id(actionId)}/cancel"),
            DefenderApi.Mde,
            new JsonObject { ["Comment"] = WriteValidation.Text(comment, "comment", MachineActionKind.MaxCommentLength) },
            MachineActionKind.CancelRoleText(actionType),
            RateFamily.Mde("machineactions/cancel"),
            Body(ModelReader.ReadMachineAction));

    /// <summary>Lists machine actions, newest first, filtered by machine, status and type.</summary>
    public Task<IReadOnlyList<MachineAction>> ListMachineActionsAsync(MachineActionFilter filter, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var clauses = ODataFilter.And([
            filter.MachineId is null ? null : ODataFilter.EqToken("machineId", filter.MachineId),
            filter.Status is null ? null : ODataFilter.EqToken("status", FilterValues.Wire(filter.Status, MachineActionKind.Statuses, "status")!),
            filter.Type is null ? null : ODataFilter.EqToken("type", filter.Type),
        ]);
        return ListMdeAsync("api/machineactions", clauses, MachineRead, limit, ModelReader.ReadMachineAction, cancellationToken);
    }

    /// <summary>
    /// The machine's actions of <paramref name="kind"/>'s state pair (<see cref="MachineActionKind.StatePairOf"/>:
    /// Isolate and Unisolate, or RestrictCodeExecution and UnrestrictCodeExecution), newest first: where its isolation
    /// or app restriction is read, since the machine has no such property. One <c>$filter=machineId eq … and type eq …</c>
    /// read per type (the documented filter has no <c>or</c>, §3.3), both at once, each of at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<MachineAction>> ListStateActionsAsync(string machineId, MachineActionKind kind, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var (on, off) = MachineActionKind.StatePairOf(kind) ?? throw new ArgumentException($"The {kind.Type} action puts a machine in no state.", nameof(kind));
        var reads = new[] { on, off }.Select(k => ListMachineActionsAsync(new MachineActionFilter { MachineId = machineId, Type = k.Type }, limit, cancellationToken)).ToList();
        var lists = await Task.WhenAll(reads).ConfigureAwait(false);
        return [.. lists.SelectMany(l => l).OrderByDescending(a => a.CreationDateTimeUtc ?? DateTimeOffset.MinValue)];
    }

    /// <summary>Gets one machine action.</summary>
    public async Task<MachineAction> GetMachineActionAsync(string actionId, CancellationToken cancellationToken) =>
        ModelReader.ReadMachineAction(await GetObjectAsync(Mde($"api/machineactions/{Id(actionId)}"), DefenderApi.Mde, MachineRead, RateFamily.Mde("machineactions"), cancellationToken).ConfigureAwait(false));

    /// <summary>The short-lived download link of a completed investigation package.</summary>
    public async Task<string> GetInvestigationPackageUriAsync(string actionId, CancellationToken cancellationToken)
    {
        var body = await GetObjectAsync(Mde($"api/machineactions/{Id(actionId)}/GetPackageUri"), DefenderApi.Mde, MachineRead, RateFamily.PackageUri, cancellationToken).ConfigureAwait(false);
        return ModelReader.Str(body, "value") ?? throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The package link was missing.");
    }
}
