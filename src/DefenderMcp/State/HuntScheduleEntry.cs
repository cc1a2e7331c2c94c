namespace DefenderMcp.State;

/// <summary>
/// A stored schedule: which saved hunt runs, on which tenant, and how often. A schedule is per (hunt, tenant), so that
/// callers limited to different tenants each keep their own schedule of the same hunt.
/// </summary>
/// <param name="Hunt">The saved hunt's name.</param>
/// <param name="Tenant">Key of the tenant it runs on.</param>
/// <param name="Every">The interval between runs.</param>
/// <param name="CreatedAt">When it was (last) scheduled.</param>
public sealed record HuntScheduleEntry(string Hunt, string Tenant, TimeSpan Every, DateTimeOffset CreatedAt)
{
    /// <summary>The key of the (hunt, tenant) pair: names the schedule's run leases and its loop in a process.</summary>
    public string Key => SlotName(Hunt, Tenant);

    /// <summary>The key of <paramref name="hunt"/> on <paramref name="tenant"/> (neither may hold a '/').</summary>
    public static string SlotName(string hunt, string tenant) => hunt + "/" + tenant;
}
