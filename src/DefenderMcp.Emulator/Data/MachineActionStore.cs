using System.Globalization;
using System.Text.Json.Nodes;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// Machine actions of one tenant. Status follows the documented state machine, computed from timestamps:
/// Pending, then InProgress, then Succeeded; cancel ends in Cancelled. At most one non-final action per
/// (machine, type).
/// </summary>
public sealed class MachineActionStore(TimeSpan pending, TimeSpan inProgress)
{
    private readonly List<JsonObject> _actions = [];

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
        }
    }

    private static string Iso(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
