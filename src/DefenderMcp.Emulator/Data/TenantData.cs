using System.Text.Json.Nodes;
using DefenderMcp.Emulator.Hunting;

namespace DefenderMcp.Emulator.Data;

/// <summary>One emulated tenant's data: Graph incidents and alerts, MDE machines, hunting tables and mutable state.</summary>
public sealed class TenantData(EmulatedTenant tenant, IReadOnlyList<JsonObject> machines, IReadOnlyList<JsonObject> incidents, IReadOnlyList<JsonObject> alerts, Func<IReadOnlyDictionary<string, HuntingTable>> tables)
{
    private readonly Lazy<IReadOnlyDictionary<string, HuntingTable>> _tables = new(tables, isThreadSafe: true);

    /// <summary>The tenant.</summary>
    public EmulatedTenant Tenant { get; } = tenant;

    private volatile IReadOnlyList<JsonObject> _machines = machines;

    /// <summary>Machines (MDE shape). Copied on write, so a reader never sees the list change under it.</summary>
    public IReadOnlyList<JsonObject> Machines => _machines;

    /// <summary>Adds a machine (control plane: a copy under another name, for the short-name cases).</summary>
    public void AddMachine(JsonObject machine)
    {
        lock (Gate)
        {
            _machines = [.. _machines, machine];
        }
    }

    /// <summary>Incidents (Graph shape, without alerts).</summary>
    public IReadOnlyList<JsonObject> Incidents { get; } = incidents;

    /// <summary>Alerts (Graph alerts_v2 shape, with evidence).</summary>
    public IReadOnlyList<JsonObject> Alerts { get; } = alerts;

    private volatile IReadOnlyDictionary<string, HuntingTable>? _resized;

    /// <summary>Hunting tables, built on first use. A running query keeps the snapshot it started with.</summary>
    public IReadOnlyDictionary<string, HuntingTable> Tables => _resized ?? _tables.Value;

    /// <summary>Swaps in a rebuilt table (benchmarks); queries already running keep reading the old one.</summary>
    public void ReplaceTable(HuntingTable table)
    {
        lock (Gate)
        {
            _resized = new Dictionary<string, HuntingTable>(Tables, StringComparer.Ordinal) { [table.Name] = table };
        }
    }

    /// <summary>Machine actions (created lazily with the emulator's timing).</summary>
    public MachineActionStore? Actions { get; set; }

    /// <summary>Custom indicators (MDE).</summary>
    public List<System.Text.Json.Nodes.JsonObject> Indicators { get; } = [];

    /// <summary>The last indicator id handed out: ids only grow, so an id is never reused after a delete.</summary>
    public int LastIndicatorId { get; set; } = 1000;

    /// <summary>Entra ID users and groups (Graph users and Identity Protection), created on first use.</summary>
    public UserDirectory? Directory { get; set; }

    /// <summary>Custom detection rules (Graph beta).</summary>
    public List<System.Text.Json.Nodes.JsonObject> DetectionRules { get; } = [];

    /// <summary>Serializes access to mutable state (PATCH, actions).</summary>
    public Lock Gate { get; } = new();
}
