using DefenderMcp.Client.Http;

namespace DefenderMcp.Policy;

/// <summary>What a write tool is about to do: the request, and what a person needs to see to confirm it.</summary>
/// <param name="Action">Human wording of the action, e.g. "Isolate device (Full)".</param>
/// <param name="TargetName">The target's name (device, incident title, indicator value).</param>
/// <param name="TargetId">The target's id.</param>
/// <param name="Comment">The comment sent with the action.</param>
/// <param name="Request">The exact request.</param>
/// <param name="MachineId">For machine actions: the machine, to look up pending actions after a failure.</param>
/// <param name="ActionType">For machine actions: the MachineAction type recorded by Defender.</param>
public sealed record WritePlan(string Action, string TargetName, string TargetId, string? Comment, DefenderRequest Request, string? MachineId = null, string? ActionType = null);
