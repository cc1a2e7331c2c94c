using DefenderMcp.Client;
using DefenderMcp.Client.Http;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Mcp;

/// <summary>
/// What a write tool is about to do: the client's typed request, what a person needs to see to confirm it, and how
/// Defender's typed answer becomes the tool's result. Built only through <see cref="Of{T}"/>, so the request that is
/// previewed is the one that is sent.
/// </summary>
public sealed class WritePlan
{
    private readonly Func<DefenderClient, WriteResult, CancellationToken, Task<WriteResult>> _send;

    private WritePlan(string action, string targetName, string targetId, string? comment, DefenderRequest request, Func<DefenderClient, WriteResult, CancellationToken, Task<WriteResult>> send)
    {
        Action = action;
        TargetName = targetName;
        TargetId = targetId;
        Comment = comment;
        Request = request;
        _send = send;
    }

    /// <summary>Human wording of the action, e.g. "Isolate device (Full)".</summary>
    public string Action { get; }

    /// <summary>The target's name (device, incident title, indicator value).</summary>
    public string TargetName { get; }

    /// <summary>The target's id.</summary>
    public string TargetId { get; }

    /// <summary>The comment sent with the action.</summary>
    public string? Comment { get; }

    /// <summary>The exact request (previewed, confirmed, then sent once).</summary>
    public DefenderRequest Request { get; }

    /// <summary>For machine actions: the machine, to look up pending actions after a failure.</summary>
    public string? MachineId { get; private init; }

    /// <summary>For machine actions: the MachineAction type recorded by Defender.</summary>
    public string? ActionType { get; private init; }

    /// <summary>
    /// What the target is now, where the action depends on it (a device's isolation before isolate or release): shown
    /// to the person confirming and in the preview, so nobody releases a device unaware that it is not isolated.
    /// </summary>
    public string? TargetState { get; private init; }

    /// <summary>
    /// A bulk plan (a device action called with <c>devices</c>): one single-target plan per device, confirmed together
    /// and sent one by one; empty for a single-target plan.
    /// </summary>
    public IReadOnlyList<WritePlan> Parts { get; private init; } = [];

    /// <summary>A bulk plan: the targets left out before confirmation, with why.</summary>
    public IReadOnlyList<RefusedTarget> Refused { get; private init; } = [];

    /// <summary>
    /// The targets as resolved now, one per line (a bulk plan's refused ones after them): what a confirmation token is
    /// bound to besides the arguments, since the same arguments can resolve to other objects later (a device
    /// re-onboarded under a name, a name that matched nothing at the preview).
    /// </summary>
    public string ResolvedTargets => string.Join("\n", [TargetId, .. Refused.Select(r => $"refused:{r.Target}:{r.Id}")]);

    /// <summary>True for a plan made by <see cref="Bulk"/>, even when only one device is left to act on.</summary>
    public bool IsBulk => Parts.Count > 0;

    /// <summary>
    /// A plan for <paramref name="request"/>; <paramref name="shape"/> adds what Defender answered to the sent result.
    /// A machine action names its machine and type, so a failed send can be looked up instead of resent, and may say
    /// what the device is now (<see cref="TargetState"/>).
    /// </summary>
    public static WritePlan Of<T>(string action, string targetName, string targetId, string? comment, DefenderRequest<T> request, Func<T, WriteResult, WriteResult> shape, string? machineId = null, string? actionType = null, string? targetState = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(shape);
        return new WritePlan(
            action,
            targetName,
            targetId,
            comment,
            request.Request,
            async (client, sent, cancellationToken) => shape(await client.SendAsync(request, cancellationToken).ConfigureAwait(false), sent))
        {
            MachineId = machineId,
            ActionType = actionType,
            TargetState = targetState,
        };
    }

    /// <summary>
    /// A plan over several targets: <paramref name="parts"/> (at least one, each made by <see cref="Of{T}"/>) are confirmed
    /// as one and sent one by one; <paramref name="refused"/> are named but never sent. Its own request is the first
    /// part's, only so that a plan is never without one: a bulk plan is previewed and sent through its parts, never itself.
    /// </summary>
    public static WritePlan Bulk(string action, string? comment, IReadOnlyList<WritePlan> parts, IReadOnlyList<RefusedTarget> refused)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(refused);
        if (parts.Count == 0 || parts.Any(p => p.IsBulk))
        {
            throw new ArgumentException("A bulk plan needs at least one single-target part.", nameof(parts));
        }

        var first = parts[0];
        return new WritePlan(action, $"{parts.Count} device(s): {string.Join(", ", parts.Select(p => p.TargetName))}", string.Join(",", parts.Select(p => p.TargetId)), comment, first.Request, (_, _, _) => throw new InvalidOperationException("A bulk plan is sent through its parts."))
        {
            ActionType = first.ActionType,
            Parts = parts,
            Refused = refused,
        };
    }

    /// <summary>Sends the request once and returns <paramref name="sent"/> completed with Defender's answer.</summary>
    public Task<WriteResult> SendAsync(DefenderClient client, WriteResult sent, CancellationToken cancellationToken) => _send(client, sent, cancellationToken);
}
