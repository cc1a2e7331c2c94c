using DefenderMcp.Areas.Devices;
using DefenderMcp.Client;
using DefenderMcp.Client.Http;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.MachineActions;

/// <summary>
/// What the person confirming an isolate, release, restrict or remove-restriction (or an undo_action that sends a
/// release or a removal) is told about the device now: a responder releasing a device must see whether it is isolated,
/// since when, by whom and by which action, or that no isolation was found and releasing it may fail or do nothing.
/// Read from the device's isolate/release (or restrict/remove) actions with one bounded lookup; a lookup that fails or
/// takes too long says so and never blocks.
/// </summary>
public static class DeviceStateNote
{
    /// <summary>How long the lookup may take, for one device or for all the devices of a bulk call together.</summary>
    public static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Actions of each type read per device; a device gathers far fewer isolations in the retention.</summary>
    public const int MaxActionsPerType = 200;

    // Devices of a bulk call looked up at once: each is two reads, and the machine actions API allows 100 a minute.
    private const int Parallel = 4;

    /// <summary>The note for each machine (by id), or an empty map for an action that puts a device in no state.</summary>
    public static Task<IReadOnlyDictionary<string, string>> DescribeAsync(DefenderClient client, IReadOnlyList<Machine> machines, MachineActionKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return DescribeAsync(machines, kind, (machine, token) => client.ListStateActionsAsync(machine.Id, kind, MaxActionsPerType, token), cancellationToken);
    }

    /// <summary>
    /// The note for one machine whose actions of <paramref name="kind"/> the caller has read already (up to
    /// <see cref="MaxActionsPerType"/>, unbounded, as <c>undo_action</c> does to refuse an undo made already): only the
    /// other type of the pair is read, with the same bound; null for an action that puts a device in no state.
    /// </summary>
    public static async Task<string?> DescribeAsync(DefenderClient client, Machine machine, MachineActionKind kind, IReadOnlyList<MachineAction> actionsOfKind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(actionsOfKind);
        if (MachineActionKind.StatePairOf(kind) is not { } pair)
        {
            return null;
        }

        var other = kind == pair.On ? pair.Off : pair.On;
        var notes = await DescribeAsync(
            [machine],
            kind,
            async (m, token) =>
            {
                var read = await client.ListMachineActionsAsync(new MachineActionFilter { MachineId = m.Id, Type = other.Type }, MaxActionsPerType, token).ConfigureAwait(false);
                return [.. actionsOfKind.Concat(read).OrderByDescending(a => a.CreationDateTimeUtc ?? DateTimeOffset.MinValue)];
            },
            cancellationToken).ConfigureAwait(false);
        return notes.GetValueOrDefault(machine.Id);
    }

    // The notes, each from the actions of both types of the pair that read gives for a machine, within the bound.
    private static async Task<IReadOnlyDictionary<string, string>> DescribeAsync(
        IReadOnlyList<Machine> machines,
        MachineActionKind kind,
        Func<Machine, CancellationToken, Task<IReadOnlyList<MachineAction>>> read,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machines);
        ArgumentNullException.ThrowIfNull(kind);
        if (MachineActionKind.StatePairOf(kind) is not { } pair)
        {
            return new Dictionary<string, string>();
        }

        var words = pair.On == MachineActionKind.Isolate ? Words.Isolation : Words.Restriction;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(LookupTimeout);
        using var gate = new SemaphoreSlim(Parallel);
        var notes = await Task.WhenAll(machines.Select(async machine =>
        {
            string note;
            try
            {
                await gate.WaitAsync(deadline.Token).ConfigureAwait(false);
                try
                {
                    var actions = await read(machine, deadline.Token).ConfigureAwait(false);
                    note = Describe(actions, pair.On, kind == pair.Off, words);
                }
                finally
                {
                    gate.Release();
                }
            }
            catch (DefenderApiException ex)
            {
                note = Unread(words, ex.Code == DefenderErrorCode.Timeout ? "the lookup timed out" : "the lookup failed: " + ex.Message.TrimEnd('.'));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                note = Unread(words, $"the lookup took longer than {LookupTimeout.TotalSeconds:0} s");
            }

            return (machine.Id, note);
        })).ConfigureAwait(false);
        return notes.ToDictionary(n => n.Id, n => n.note, StringComparer.Ordinal);
    }

    // One sentence: the state the newest succeeded action of the pair left, then an action still on its way, then, for
    // a release or removal with nothing to undo, that it may fail or do nothing.
    private static string Describe(IReadOnlyList<MachineAction> actions, MachineActionKind on, bool undoing, Words words)
    {
        var (current, pending) = DeviceResponseState.Latest(actions, on.Type, MachineActionKind.StatePairOf(on)!.Value.Off.Type);
        var isOn = current?.Type == on.Type;
        var state = current is null
            ? $"No {words.Noun} found for this device"
            : isOn
                ? $"{words.On}{Scope(current)} since {When(current)}{By(current)} (action {Id(current)})"
                : $"Not {words.Adjective}: {words.Undone} {When(current)}{By(current)} (action {Id(current)})";
        if (pending is not null)
        {
            state += $"; {Article(pending.Type)} {pending.Type} action is {Clean(pending.Status ?? "Pending", 20)} since {When(pending)}{By(pending)} (action {Id(pending)})";
        }

        var nothingToUndo = undoing && !isOn && pending?.Type != on.Type;
        return state + (nothingToUndo ? $": {words.Undoing} may fail or do nothing." : ".");
    }

    private static string Unread(Words words, string why) =>
        $"The device's {words.Noun} state could not be read ({why}); this does not hold the action back.";

    private static string Scope(MachineAction action) => action.Scope is { Length: > 0 } scope ? $" ({Clean(scope, 20)})" : string.Empty;

    private static string When(MachineAction action) =>
        action.CreationDateTimeUtc is { } created ? Text.Utc(created) : "an unknown time";

    private static string By(MachineAction action) => string.IsNullOrWhiteSpace(action.Requestor) ? string.Empty : $" by {Clean(action.Requestor, 120)}";

    private static string Id(MachineAction action) => Clean(action.Id, 64);

    // Upstream text: clipped, without control characters.
    private static string Clean(string value, int max) => ErrorMapper.Clean(value, max);

    private static string Article(string? word) => word is { Length: > 0 } && "AEIOU".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";

    // The words of one state: isolation, or app restriction.
    private sealed record Words(string Noun, string On, string Adjective, string Undone, string Undoing)
    {
        public static Words Isolation { get; } = new("isolation", "Isolated", "isolated", "released", "releasing it");

        public static Words Restriction { get; } = new("app restriction", "App execution restricted", "restricted", "restriction removed", "removing it");
    }
}
