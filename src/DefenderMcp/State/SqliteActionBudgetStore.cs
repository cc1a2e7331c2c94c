using Microsoft.Data.Sqlite;

namespace DefenderMcp.State;

/// <summary>
/// Budgets in the state folder's SQLite file: one row per counted action, trimmed to the rolling hour, checked and
/// spent in one write transaction. So <c>max_actions_per_hour</c> holds across a restart (a crash, or a client that
/// respawns the server) and for every process on the folder, each <c>defender-mcp call</c> among them, instead of
/// starting from zero in each.
/// </summary>
public sealed class SqliteActionBudgetStore(SqliteStateFile file, TimeProvider time) : IActionBudgetStore
{
    private static readonly long WindowMs = (long)TimeSpan.FromHours(1).TotalMilliseconds;

    /// <inheritdoc />
    public Task<BudgetDecision> TryReserveAsync(string tenant, int perHour, int count, CancellationToken cancellationToken) =>
        file.RunAsync(connection => Decide(connection, tenant, perHour, count, reserve: true), cancellationToken);

    /// <inheritdoc />
    public Task<BudgetDecision> PeekAsync(string tenant, int perHour, int count, CancellationToken cancellationToken) =>
        file.RunAsync(connection => Decide(connection, tenant, perHour, count, reserve: false), cancellationToken);

    private BudgetDecision Decide(SqliteConnection connection, string tenant, int perHour, int count, bool reserve)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        // One write transaction (BEGIN IMMEDIATE): two processes cannot both take the last slot.
        using var transaction = connection.BeginTransaction();
        using (var trim = SqliteStateFile.Command(connection, "DELETE FROM action_budget WHERE tenant = $tenant AND at_ms <= $oldest", ("$tenant", tenant), ("$oldest", now - WindowMs)))
        {
            trim.Transaction = transaction;
            trim.ExecuteNonQuery();
        }

        var live = new List<long>();
        using (var select = SqliteStateFile.Command(connection, "SELECT at_ms FROM action_budget WHERE tenant = $tenant ORDER BY at_ms", ("$tenant", tenant)))
        {
            select.Transaction = transaction;
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                // A time in the future (a clock set back) counts as now: the action still holds its slot.
                live.Add(Math.Min(reader.GetInt64(0), now));
            }
        }

        live.Sort();
        if (live.Count + count > perHour)
        {
            transaction.Commit();
            var mustExpire = live.Count + count - perHour;
            var frees = count > perHour || mustExpire > live.Count ? now + WindowMs : live[mustExpire - 1] + WindowMs;
            return new BudgetDecision(false, Math.Max(0, perHour - live.Count), DateTimeOffset.FromUnixTimeMilliseconds(frees));
        }

        if (reserve)
        {
            using var insert = SqliteStateFile.Command(connection, "INSERT INTO action_budget (tenant, at_ms) VALUES ($tenant, $at)", ("$tenant", tenant), ("$at", now));
            insert.Transaction = transaction;
            for (var i = 0; i < count; i++)
            {
                insert.ExecuteNonQuery();
            }
        }

        transaction.Commit();
        return new BudgetDecision(true, perHour - live.Count - (reserve ? count : 0), DateTimeOffset.FromUnixTimeMilliseconds(now));
    }
}
