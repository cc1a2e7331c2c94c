using System.Globalization;
using System.Text.Json.Nodes;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// Machine actions of one tenant. Status follows the documented state machine, computed from timestamps:
/// Pending, then InProgress, then Succeeded; cancel ends in Cancelled. At most one non-final action per
/// (machine, type). A live-response action's commands end when the action does: in order, each Completed until
/// one Failed (the action then Failed, the rest left Created), with their results kept for the download links.
/// </summary>
public sealed class MachineActionStore(TimeSpan pending, TimeSpan inProgress)
{
    private readonly List<JsonObject> _actions = [];
    private readonly Dictionary<string, IReadOnlyList<CommandOutcome>> _outcomes = new(StringComparer.Ordinal);
    private readonly Queue<DateTime> _liveResponseCalls = new();

    /// <summary>The tenant's live-response library, created on first use.</summary>
    public LiveResponseLibrary? Library { get; set; }

    /// <summary>Files PutFile placed, by machine id and path (case-insensitive).</summary>
    public Dictionary<string, byte[]> PlacedFiles { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many non-final actions of <paramref name="type"/> the tenant has.</summary>
    public int ActiveCount(string type, DateTime now) =>
        All(now).Count(a => a["type"]!.GetValue<string>() == type && !IsFinal(a["status"]!.GetValue<string>()));

    /// <summary>Counts one live-response call against <paramref name="perMinute"/>; false with the wait when it is spent.</summary>
    public bool TryCountLiveResponseCall(DateTime now, int perMinute, out TimeSpan retryAfter)
    {
        while (_liveResponseCalls.Count > 0 && now - _liveResponseCalls.Peek() >= TimeSpan.FromMinutes(1))
        {
            _liveResponseCalls.Dequeue();
        }

        if (_liveResponseCalls.Count >= perMinute)
        {
            retryAfter = _liveResponseCalls.Peek() + TimeSpan.FromMinutes(1) - now;
            return false;
        }

        _liveResponseCalls.Enqueue(now);
        retryAfter = TimeSpan.Zero;
        return true;
    }

    /// <summary>Creates a Pending live-response action whose commands will end as <paramref name="outcomes"/> say.</summary>
    public JsonObject CreateLiveResponse(JsonObject machine, JsonArray commands, IReadOnlyList<CommandOutcome> outcomes, string comment, string requestor, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var action = Create(machine, "LiveResponse", null, comment, requestor, null, now);
        var states = new JsonArray();
        for (var i = 0; i < commands.Count; i++)
        {
            states.Add(new JsonObject
            {
                ["index"] = i,
                ["startTime"] = null,
                ["endTime"] = null,
                ["commandStatus"] = "Created",
                ["errors"] = new JsonArray(),
                ["command"] = commands[i]!.DeepClone(),
            });
        }

        action["commands"] = states;
        _outcomes[action["id"]!.GetValue<string>()] = outcomes;
        return action;
    }

    /// <summary>The result of a Completed command that has one, else null.</summary>
    public byte[]? Result(string id, int index, DateTime now)
    {
        var action = Find(id, now);
        if (action?["commands"] is not JsonArray commands || index < 0 || index >= commands.Count ||
            commands[index]!["commandStatus"]!.GetValue<string>() != "Completed" || !_outcomes.TryGetValue(id, out var outcomes))
        {
            return null;
        }

        return outcomes[index].Result;
    }

    /// <summary>Every action with its current status.</summary>
    public IReadOnlyList<JsonObject> All(DateTime now)
    {
        foreach (var action in _actions)
        {
            Advance(action, now);
        }

        return _actions;
    }

    /// <summary>An action by id, with its current status.</summary>
    public JsonObject? Find(string id, DateTime now) => All(now).FirstOrDefault(a => a["id"]!.GetValue<string>() == id);

    /// <summary>True when a non-final action of this type is pending on the machine.</summary>
    public bool HasActive(string machineId, string type, DateTime now) =>
        All(now).Any(a => a["machineId"]!.GetValue<string>() == machineId && a["type"]!.GetValue<string>() == type && !IsFinal(a["status"]!.GetValue<string>()));

    /// <summary>Creates an action in the Pending state.</summary>
    public JsonObject Create(JsonObject machine, string type, string? scope, string comment, string requestor, JsonObject? relatedFile, DateTime now)
    {
        var action = new JsonObject
        {
            ["@odata.context"] = "https://api.security.microsoft.com/api/$metadata#MachineActions/$entity",
            ["id"] = Guid.NewGuid().ToString(),
            ["type"] = type,
            ["scope"] = scope,
            ["requestor"] = requestor,
            ["requestorComment"] = comment,
            ["requestSource"] = "PublicApi",
            ["status"] = "Pending",
            ["machineId"] = machine["id"]!.GetValue<string>(),
            ["computerDnsName"] = machine["computerDnsName"]!.GetValue<string>(),
            ["creationDateTimeUtc"] = Iso(now),
            ["lastUpdateDateTimeUtc"] = Iso(now),
            ["cancellationRequestor"] = null,
            ["cancellationComment"] = null,
            ["cancellationDateTimeUtc"] = null,
            ["errorHResult"] = 0,
            ["title"] = $"{type} on {machine["computerDnsName"]}",
            ["relatedFileInfo"] = relatedFile,
        };
        _actions.Add(action);
        return action;
    }

    /// <summary>Whether a status is final.</summary>
    public static bool IsFinal(string status) => status is "Succeeded" or "Failed" or "TimeOut" or "Cancelled";

    private void Advance(JsonObject action, DateTime now)
    {
        var status = action["status"]!.GetValue<string>();
        if (IsFinal(status))
        {
            return;
        }

        var created = DateTime.Parse(action["creationDateTimeUtc"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        var next = now - created >= pending + inProgress ? "Succeeded" : now - created >= pending ? "InProgress" : "Pending";
        if (next != status)
        {
            action["status"] = next;
            action["lastUpdateDateTimeUtc"] = Iso(next == "Succeeded" ? created + pending + inProgress : created + pending);
            if (action["commands"] is JsonArray commands && _outcomes.TryGetValue(action["id"]!.GetValue<string>(), out var outcomes))
            {
                RunCommands(action, commands, outcomes, created + pending, next == "Succeeded" ? created + pending + inProgress : null);
            }
        }
    }

    // Commands run one at a time over the InProgress window; the first failure stops the rest and fails the action.
    private static void RunCommands(JsonObject action, JsonArray commands, IReadOnlyList<CommandOutcome> outcomes, DateTime started, DateTime? ended)
    {
        if (commands.Count > 0 && commands[0]!["startTime"] is null)
        {
            commands[0]!["startTime"] = Iso(started);
        }

        if (ended is not { } end)
        {
            return;
        }

        var step = (end - started) / Math.Max(1, commands.Count);
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i]!;
            command["startTime"] = Iso(started + (step * i));
            command["endTime"] = Iso(started + (step * (i + 1)));
            if (outcomes[i].Succeeded)
            {
                command["commandStatus"] = "Completed";
                continue;
            }

            command["commandStatus"] = "Failed";
            command["errors"] = new JsonArray(outcomes[i].Error);
            action["status"] = "Failed";
            action["errorHResult"] = -2147024894;
            return;
        }
    }

    private static string Iso(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
