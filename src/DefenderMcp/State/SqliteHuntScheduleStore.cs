using System.Text.Json;
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
        using var command = Command(connection, "SELECT hunt, every_ms, tenants, created_at FROM hunt_schedule ORDER BY hunt");
        using var reader = command.ExecuteReader();
        var schedules = new List<HuntScheduleEntry>();
        while (reader.Read())
        {
            if (ReadSchedule(reader) is { } schedule)
            {
                schedules.Add(schedule);
            }
            else
            {
                _logger.LogWarning("Skipped a stored hunt schedule that cannot be read (row {Row})", schedules.Count + 1);
            }
        }

        return (IReadOnlyList<HuntScheduleEntry>)schedules;
    });

    /// <inheritdoc />
    public Task SaveScheduleAsync(HuntScheduleEntry schedule, CancellationToken cancellationToken) => Run(cancellationToken, connection =>
    {
        using var command = Command(
            connection,
            "INSERT INTO hunt_schedule (hunt, every_ms, tenants, created_at) VALUES ($hunt, $every, $tenants, $created) " +
            "ON CONFLICT (hunt) DO UPDATE SET every_ms = excluded.every_ms, tenants = excluded.tenants, created_at = excluded.created_at",
            ("$hunt", schedule.Hunt),
            ("$every", (long)schedule.Every.TotalMilliseconds),
            ("$tenants", JsonSerializer.Serialize(schedule.Tenants)),
            ("$created", schedule.CreatedAt.ToUnixTimeMilliseconds()));
        return command.ExecuteNonQuery();
    });

    /// <inheritdoc />
    public Task<bool> RemoveScheduleAsync(string hunt, CancellationToken cancellationToken) => Run(cancellationToken, connection =>
    {
        using var command = Command(connection, "DELETE FROM hunt_schedule WHERE hunt = $hunt", ("$hunt", hunt));
        return command.ExecuteNonQuery() > 0;
    });

    /// <inheritdoc />
    public Task<ScheduleChange> ChangeScheduleAsync(string hunt, HuntScheduleEntry? replacement, Func<HuntScheduleEntry?, bool> mayChange, CancellationToken cancellationToken) => Run(cancellationToken, connection =>
    {
        ArgumentNullException.ThrowIfNull(mayChange);
        // One write transaction (BEGIN IMMEDIATE): the row read is the row replaced.
        using var transaction = connection.BeginTransaction();
        HuntScheduleEntry? previous = null;
        using (var select = Command(connection, "SELECT hunt, every_ms, tenants, created_at FROM hunt_schedule WHERE hunt = $hunt", ("$hunt", hunt)))
        {
            select.Transaction = transaction;
            using var reader = select.ExecuteReader();
            if (reader.Read())
            {
                previous = ReadSchedule(reader);
            }
        }

        if (!mayChange(previous))
        {
            return new ScheduleChange(false, previous);
        }

        using var change = replacement is null
            ? Command(connection, "DELETE FROM hunt_schedule WHERE hunt = $hunt", ("$hunt", hunt))
            : Command(
                connection,
                "INSERT INTO hunt_schedule (hunt, every_ms, tenants, created_at) VALUES ($hunt, $every, $tenants, $created) " +
                "ON CONFLICT (hunt) DO UPDATE SET every_ms = excluded.every_ms, tenants = excluded.tenants, created_at = excluded.created_at",
                ("$hunt", hunt),
                ("$every", (long)replacement.Every.TotalMilliseconds),
                ("$tenants", JsonSerializer.Serialize(replacement.Tenants)),
                ("$created", replacement.CreatedAt.ToUnixTimeMilliseconds()));
        change.Transaction = transaction;
        change.ExecuteNonQuery();
        transaction.Commit();
        return new ScheduleChange(true, previous);
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
        if (reader.GetFieldType(0) != typeof(string) || reader.GetFieldType(1) != typeof(long) || reader.GetFieldType(2) != typeof(string) || reader.GetFieldType(3) != typeof(long))
        {
            return null;
        }

        var every = reader.GetInt64(1);
        string[]? tenants;
        try
        {
            tenants = JsonSerializer.Deserialize<string[]>(reader.GetString(2));
        }
        catch (JsonException)
        {
            return null;
        }

        var hunt = reader.GetString(0);
        if (hunt.Length == 0 || every <= 0 || every > (long)TimeSpan.FromDays(366).TotalMilliseconds || tenants is not { Length: > 0 } || tenants.Any(string.IsNullOrEmpty))
        {
            return null;
        }

        return new HuntScheduleEntry(hunt, TimeSpan.FromMilliseconds(every), tenants, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters) =>
        SqliteStateFile.Command(connection, sql, parameters);

    private Task<T> Run<T>(CancellationToken cancellationToken, Func<SqliteConnection, T> operation) => _file.RunAsync(operation, cancellationToken);
}
