namespace DefenderMcp.State;

/// <summary>
/// Which process runs a slot of a scheduled hunt when several share one state folder (a stdio client that starts a
/// second copy, two clients on one folder, a server and <c>defender-mcp call</c>): one row per claimed slot in the
/// state folder's SQLite file, claimed in one write transaction, renewed while the run goes on, and marked done at its
/// end. A process killed mid-run stops renewing, its lease lapses, and another process on the folder takes the slot.
/// </summary>
public sealed class SqliteHuntRunLeases(SqliteStateFile file, TimeProvider time) : IHuntRunLeases
{
    private const string Done = "done";

    /// <inheritdoc />
    public bool IsShared => true;

    /// <inheritdoc />
    public Task<bool> TryClaimAsync(string hunt, long slot, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (owner == Done)
        {
            throw new ArgumentException("The owner name is reserved.", nameof(owner));
        }

        return file.RunAsync(
            connection =>
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                using var transaction = connection.BeginTransaction();
                using (var trim = SqliteStateFile.Command(connection, "DELETE FROM hunt_lease WHERE hunt = $hunt AND until_ms < $now", ("$hunt", hunt), ("$now", now)))
                {
                    trim.Transaction = transaction;
                    trim.ExecuteNonQuery();
                }

                using var claim = SqliteStateFile.Command(
                    connection,
                    "INSERT INTO hunt_lease (hunt, slot, owner, until_ms) VALUES ($hunt, $slot, $owner, $until) ON CONFLICT (hunt, slot) DO NOTHING",
                    ("$hunt", hunt),
                    ("$slot", slot),
                    ("$owner", owner),
                    ("$until", now + (long)lease.TotalMilliseconds));
                claim.Transaction = transaction;
                var claimed = claim.ExecuteNonQuery() == 1;
                transaction.Commit();
                return claimed;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RenewAsync(string hunt, long slot, string owner, TimeSpan lease, CancellationToken cancellationToken) => file.RunAsync(
        connection =>
        {
            using var renew = SqliteStateFile.Command(
                connection,
                "UPDATE hunt_lease SET until_ms = $until WHERE hunt = $hunt AND slot = $slot AND owner = $owner",
                ("$hunt", hunt),
                ("$slot", slot),
                ("$owner", owner),
                ("$until", time.GetUtcNow().ToUnixTimeMilliseconds() + (long)lease.TotalMilliseconds));
            return renew.ExecuteNonQuery() == 1;
        },
        cancellationToken);

    /// <inheritdoc />
    public Task CompleteAsync(string hunt, long slot, string owner, TimeSpan keep, CancellationToken cancellationToken) => file.RunAsync(
        connection =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            using var complete = SqliteStateFile.Command(
                connection,
                "INSERT INTO hunt_lease (hunt, slot, owner, until_ms) VALUES ($hunt, $slot, 'done', $until) " +
                "ON CONFLICT (hunt, slot) DO UPDATE SET owner = 'done', until_ms = excluded.until_ms WHERE hunt_lease.owner = $owner OR hunt_lease.until_ms < $now",
                ("$hunt", hunt),
                ("$slot", slot),
                ("$owner", owner),
                ("$now", now),
                ("$until", now + (long)keep.TotalMilliseconds));
            return complete.ExecuteNonQuery();
        },
        cancellationToken);

    /// <inheritdoc />
    public Task<bool> IsHeldAsync(string hunt, long slot, CancellationToken cancellationToken) => file.RunAsync(
        connection =>
        {
            using var held = SqliteStateFile.Command(
                connection,
                "SELECT COUNT(*) FROM hunt_lease WHERE hunt = $hunt AND slot = $slot AND owner <> 'done' AND until_ms >= $now",
                ("$hunt", hunt),
                ("$slot", slot),
                ("$now", time.GetUtcNow().ToUnixTimeMilliseconds()));
            return held.ExecuteScalar() is long count && count > 0;
        },
        cancellationToken);
}
