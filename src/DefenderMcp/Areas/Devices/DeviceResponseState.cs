using DefenderMcp.Client;

namespace DefenderMcp.Areas.Devices;

/// <summary>
/// A device's isolation and app-restriction state, read from its machine actions: the API has no such machine
/// property (defender-api §3.4), so the newest succeeded isolate or release decides, and a newer action still pending
/// shows as on its way. Values are plain words the model can repeat.
/// </summary>
public static class DeviceResponseState
{
    /// <summary>How many of the device's actions are read (one page); more than a device gathers in the retention.</summary>
    public const int MaxActions = 1000;

    /// <summary>
    /// <c>not_isolated</c>, <c>isolated</c>, <c>isolated_selective</c>, <c>contained</c> (an unmanaged device), or
    /// <c>isolation_pending</c> / <c>release_pending</c> while such an action has not finished.
    /// </summary>
    public static string Isolation(IEnumerable<MachineAction> actions)
    {
        var (on, off) = (MachineActionKind.Isolate.Type, MachineActionKind.Release.Type);
        var (current, pending) = Latest(actions, on, off);
        var isolated = current?.Type == on;
        return (isolated, pending?.Type) switch
        {
            (false, var type) when type == on => "isolation_pending",
            (true, var type) when type == off => "release_pending",
            (false, _) => "not_isolated",
            _ => current!.Scope switch
            {
                "Selective" => "isolated_selective",
                "UnManagedDevice" => "contained",
                _ => "isolated",
            },
        };
    }

    /// <summary><c>not_restricted</c>, <c>restricted</c>, or <c>restriction_pending</c> / <c>removal_pending</c>.</summary>
    public static string AppRestriction(IEnumerable<MachineAction> actions)
    {
        var (on, off) = (MachineActionKind.RestrictAppExecution.Type, MachineActionKind.RemoveAppRestriction.Type);
        var (current, pending) = Latest(actions, on, off);
        var restricted = current?.Type == on;
        return (restricted, pending?.Type) switch
        {
            (false, var type) when type == on => "restriction_pending",
            (true, var type) when type == off => "removal_pending",
            (false, _) => "not_restricted",
            _ => "restricted",
        };
    }

    /// <summary>
    /// The newest succeeded action of the pair (<paramref name="on"/> or <paramref name="off"/> type), which decides the
    /// state, and a newer one that has not finished yet; failed, timed-out and cancelled actions changed nothing.
    /// </summary>
    public static (MachineAction? Current, MachineAction? Pending) Latest(IEnumerable<MachineAction> actions, string on, string off)
    {
        var pair = actions.Where(a => a.Type == on || a.Type == off).OrderByDescending(a => a.CreationDateTimeUtc ?? DateTimeOffset.MinValue).ToList();
        var current = pair.FirstOrDefault(a => a.Status == "Succeeded");
        var pending = pair.TakeWhile(a => !ReferenceEquals(a, current)).FirstOrDefault(a => !MachineActionKind.IsFinal(a.Status));
        return (current, pending);
    }
}
