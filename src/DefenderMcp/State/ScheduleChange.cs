namespace DefenderMcp.State;

/// <summary>What a checked schedule change did (<see cref="IHuntScheduleStore.ChangeScheduleAsync"/>).</summary>
/// <param name="Allowed">False when the check refused the schedule stored at that moment; then nothing changed.</param>
/// <param name="Previous">The schedule stored before the change (or found by the refused check); null when none.</param>
public sealed record ScheduleChange(bool Allowed, HuntScheduleEntry? Previous);
