using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.State;

/// <summary>
/// Schedules and runs in the state folder's SQLite file (<see cref="SqliteStateFile"/>), so scheduled hunts survive a
/// restart and every process on the folder sees the same schedules.
/// </summary>
public sealed class SqliteHuntScheduleStore : IHuntScheduleStore
{
    /// <summary>The database file's name inside the state folder.</summary>
    public const string FileName = SqliteStateFile.FileName;

    /// <summary>How long an operation waits for a lock held by another connection.</summary>
    public const int BusyTimeoutSeconds = SqliteStateFile.BusyTimeoutSeconds;

    private readonly SqliteStateFile _file;
    private readonly HuntRetention _retention;
    private readonly ILogger _logger;

    /// <summary>A store in <paramref name="folder"/>; nothing is touched until the first operation.</summary>
    public SqliteHuntScheduleStore(string folder, HuntRetention retention, ILogger logger)
        : this(new SqliteStateFile(folder), retention, logger)
    {
    }

    /// <summary>A store in <paramref name="file"/>, shared with the other embedded stores of the state folder.</summary>
    public SqliteHuntScheduleStore(SqliteStateFile file, HuntRetention retention, ILogger logger)
    {
        _file = file;
        _retention = retention;
        _logger = logger;
    }

    /// <inheritdoc />
    public bool IsDurable => true;

    /// <summary>Prepares the folder and file and checks the database now, instead of at the first operation.</summary>
    public void EnsureReady() => _file.EnsureReady();

    /// <inheritdoc />
    public Task<IReadOnlyList<HuntScheduleEntry>> SchedulesAsync(CancellationToken cancellationToken) => Run(cancellationToken, connection =>
    {
        using var command = Command(connection, "SELECT hunt, tenant, every_ms, created_at FROM hunt_tenant_schedule ORDER BY hunt, tenant");
        using var reader = command.ExecuteReader();
        var schedules = new List<HuntScheduleEntry>();
        var skipped = 0;
        while (reader.Read())
        {
            if (ReadSchedule(reader) is { } schedule)
            {
                schedules.Add(schedule);
            }
            else
            {
                skipped++;
            }
        }

        if (skipped > 0)
        {
            _logger.LogWarning("Skipped {Count} stored hunt schedules that cannot be read", skipped);
        }

        return (IReadOnlyList<HuntScheduleEntry>)schedules;
    });

    /// <inheritdoc />
    public Task<HuntScheduleEntry?> SaveScheduleAsync(HuntScheduleEntry schedule, CancellationToken cancellationToken) => Run(cancellationToken, connection =>
    {
        ArgumentNullException.ThrowIfNull(schedule);
        // One write transaction (BEGIN IMMEDIATE): the row read is the row replaced.
        using var transaction = connection.BeginTransaction();
        HuntScheduleEntry? previous = null;
        using (var select = Command(connection, "SELECT hunt, tenant, every_ms, created_at FROM hunt_tenant_schedule WHERE hunt = $hunt AND tenant = $tenant", ("$hunt", schedule.Hunt), ("$tenant", schedule.Tenant)))
        {
            select.Transaction = transaction;
            using var reader = select.ExecuteReader();
            if (reader.Read())
            {
                previous = ReadSchedule(reader);
            }
        }

        using var upsert = Command(
            connection,
            "INSERT INTO hunt_tenant_schedule (hunt, tenant, every_ms, created_at) VALUES ($hunt, $tenant, $every, $created) " +
            "ON CONFLICT (hunt, tenant) DO UPDATE SET every_ms = excluded.every_ms, created_at = excluded.created_at",
            ("$hunt", schedule.Hunt),
            ("$tenant", schedule.Tenant),
            ("$every", (long)schedule.Every.TotalMilliseconds),
            ("$created", schedule.CreatedAt.ToUnixTimeMilliseconds()));
        upsert.Transaction = transaction;
        upsert.ExecuteNonQuery();
        transaction.Commit();
        return previous;
    });

    /// <inheritdoc />
    public Task<bool> RemoveScheduleAsync(string hunt, string tenant, CancellationToken cancellationToken) => Run(cancellationToken, connection =>
    {
        using var command = Command(connection, "DELETE FROM hunt_tenant_schedule WHERE hunt = $hunt AND tenant = $tenant", ("$hunt", hunt), ("$tenant", tenant));
        return command.ExecuteNonQuery() > 0;
    });

    /// <inheritdoc />
    public Task AddRunAsync(HuntRunEntry run, CancellationToken cancellationToken) => Run(cancellationToken, connection =>
    {
        using var transaction = connection.BeginTransaction();
        using (var insert = Command(
            connection,
            "INSERT INTO hunt_run (hunt, tenant, run_at, bytes, payload) VALUES ($hunt, $tenant, $at, $bytes, $payload)",
            ("$hunt", run.Hunt),
            ("$tenant", run.Tenant),
            ("$at", run.RunAt.ToUnixTimeMilliseconds()),
            ("$bytes", run.Bytes),
            ("$payload", run.Payload)))
        {
            insert.Transaction = transaction;
            insert.ExecuteNonQuery();
        }

        var ids = new List<long>();
        var sizes = new List<long>();
        using (var select = Command(connection, "SELECT id, bytes FROM hunt_run WHERE hunt = $hunt ORDER BY id DESC", ("$hunt", run.Hunt)))
        {
            select.Transaction = transaction;
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
                sizes.Add(reader.IsDBNull(1) ? 0 : reader.GetInt64(1));
            }
        }

        var keep = _retention.Keep(sizes);
        if (keep < ids.Count)
        {
            using var delete = Command(connection, "DELETE FROM hunt_run WHERE hunt = $hunt AND id <= $oldest", ("$hunt", run.Hunt), ("$oldest", ids[keep]));
            delete.Transaction = transaction;
            delete.ExecuteNonQuery();
        }

        transaction.Commit();
        return keep;
    });

    /// <inheritdoc />
    public Task<IReadOnlyList<HuntRunEntry>> RunsAsync(string hunt, DateTimeOffset? since, CancellationToken cancellationToken) => Run(cancellationToken, connection =>
    {
        using var command = Command(
            connection,
            "SELECT tenant, run_at, payload FROM hunt_run WHERE hunt = $hunt AND run_at >= $since ORDER BY run_at DESC, id DESC",
            ("$hunt", hunt),
            ("$since", since?.ToUnixTimeMilliseconds() ?? long.MinValue));
        using var reader = command.ExecuteReader();
        var runs = new List<HuntRunEntry>();
        var skipped = 0;
        while (reader.Read())
        {
            if (reader.GetFieldType(0) == typeof(string) && reader.GetFieldType(1) == typeof(long) && reader.GetFieldType(2) == typeof(string))
            {
                runs.Add(new HuntRunEntry(hunt, reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2)));
            }
            else
            {
                skipped++;
            }
        }

        if (skipped > 0)
        {
            _logger.LogWarning("Skipped {Count} stored hunt runs that cannot be read", skipped);
        }

        return (IReadOnlyList<HuntRunEntry>)runs;
    });

    private static HuntScheduleEntry? ReadSchedule(SqliteDataReader reader)
    {
        if (reader.GetFieldType(0) != typeof(string) || reader.GetFieldType(1) != typeof(string) || reader.GetFieldType(2) != typeof(long) || reader.GetFieldType(3) != typeof(long))
        {
            return null;
        }

        var hunt = reader.GetString(0);
        var tenant = reader.GetString(1);
        var every = reader.GetInt64(2);
        if (hunt.Length == 0 || tenant.Length == 0 || every <= 0 || every > (long)TimeSpan.FromDays(366).TotalMilliseconds)
        {
            return null;
        }

        return new HuntScheduleEntry(hunt, tenant, TimeSpan.FromMilliseconds(every), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters) =>
        SqliteStateFile.Command(connection, sql, parameters);

    private Task<T> Run<T>(CancellationToken cancellationToken, Func<SqliteConnection, T> operation) => _file.RunAsync(operation, cancellationToken);
}
