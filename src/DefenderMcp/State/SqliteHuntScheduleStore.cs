using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.State;

/// <summary>
/// Schedules and runs in a SQLite file (<see cref="FileName"/>) in the state folder, so scheduled hunts survive a
/// restart. The folder is kept at mode 0700 and the file at 0600. One server process per state folder: several
/// replicas need a shared store. Operations are short and serialized in the process; a locked file is waited on for
/// at most <see cref="BusyTimeoutSeconds"/> seconds.
/// </summary>
public sealed class SqliteHuntScheduleStore : IHuntScheduleStore
{
    /// <summary>The database file's name inside the state folder.</summary>
    public const string FileName = "state.db";

    /// <summary>How long an operation waits for a lock held by another connection.</summary>
    public const int BusyTimeoutSeconds = 5;

    private const int SchemaVersion = 1;
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _folder;
    private readonly string _path;
    private readonly string _connectionString;
    private readonly HuntRetention _retention;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private bool _prepared;

    /// <summary>A store in <paramref name="folder"/>; nothing is touched until the first operation.</summary>
    public SqliteHuntScheduleStore(string folder, HuntRetention retention, ILogger logger)
    {
        _folder = Path.GetFullPath(folder);
        _path = Path.Combine(_folder, FileName);
        _retention = retention;
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString();
    }

    /// <inheritdoc />
    public bool IsDurable => true;

    /// <summary>Prepares the folder and file and checks the database now, instead of at the first operation.</summary>
    public void EnsureReady()
    {
        lock (_gate)
        {
            Prepare();
        }
    }

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

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private Task<T> Run<T>(CancellationToken cancellationToken, Func<SqliteConnection, T> operation)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            try
            {
                Prepare();
                using var connection = new SqliteConnection(_connectionString);
                connection.Open();
                return Task.FromResult(operation(connection));
            }
            catch (SqliteException ex)
            {
                throw Translate(ex);
            }
        }
    }

    // Creates the folder (0700) and file (0600) when missing, tightens their modes, then checks and creates the schema.
    // Runs again after a failure, so a file moved aside or fixed is picked up without a restart.
    private void Prepare()
    {
        if (_prepared)
        {
            return;
        }

        try
        {
            PrepareFolder();
            PrepareFile();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StateStoreException($"The state folder {_folder} (DEFENDER_MCP_STATE_DIR) cannot be prepared: {ex.GetType().Name}. It must be a folder this user owns, with {FileName} a file it can read and write.", ex);
        }

        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            var version = Convert.ToInt64(Scalar(connection, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
            if (version > SchemaVersion)
            {
                throw new StateStoreException($"{_path} was written by a newer DefenderMcp (state schema {version}, this version reads {SchemaVersion}). Upgrade, or point DEFENDER_MCP_STATE_DIR at another folder.");
            }

            if (Scalar(connection, "PRAGMA quick_check(1)") is not "ok")
            {
                throw Corrupt(null);
            }

            using var schema = Command(
                connection,
                "CREATE TABLE IF NOT EXISTS hunt_schedule (hunt TEXT PRIMARY KEY NOT NULL, every_ms INTEGER NOT NULL, tenants TEXT NOT NULL, created_at INTEGER NOT NULL);" +
                "CREATE TABLE IF NOT EXISTS hunt_run (id INTEGER PRIMARY KEY AUTOINCREMENT, hunt TEXT NOT NULL, tenant TEXT NOT NULL, run_at INTEGER NOT NULL, bytes INTEGER NOT NULL, payload TEXT NOT NULL);" +
                "CREATE INDEX IF NOT EXISTS hunt_run_by_hunt ON hunt_run (hunt, id);" +
                $"PRAGMA user_version = {SchemaVersion};");
            schema.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            throw Translate(ex);
        }

        _prepared = true;
    }

    private void PrepareFolder()
    {
        if (File.Exists(_folder))
        {
            throw new StateStoreException($"DEFENDER_MCP_STATE_DIR ({_folder}) is a file; it must be a folder.");
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(_folder);
            return;
        }

        if (!Directory.Exists(_folder))
        {
            Directory.CreateDirectory(_folder, FolderMode);
        }

        // Schedules name tenants and results hold rows of security data: the folder is for this user alone.
        if ((File.GetUnixFileMode(_folder) & ~FolderMode) != 0)
        {
            File.SetUnixFileMode(_folder, FolderMode);
        }
    }

    private void PrepareFile()
    {
        if (Directory.Exists(_path))
        {
            throw new StateStoreException($"{_path} is a folder; it must be the state database file. Move it aside.");
        }

        if (!File.Exists(_path))
        {
            // An empty file is an empty database to SQLite; creating it here fixes its mode before any data is written.
            var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = FileMode600;
            }

            using (new FileStream(_path, options))
            {
            }
        }
        else if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(_path) != FileMode600)
        {
            File.SetUnixFileMode(_path, FileMode600);
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        return command.ExecuteScalar();
    }

    private StateStoreException Corrupt(Exception? cause)
    {
        var message = $"{_path} is not a readable DefenderMcp state database (corrupt, or another kind of file). Move it aside to start with empty state; the schedules and results in it are lost to this server.";
        return cause is null ? new StateStoreException(message) : new StateStoreException(message, cause);
    }

    private StateStoreException Translate(SqliteException ex) => ex.SqliteErrorCode switch
    {
        11 or 26 => Corrupt(ex), // SQLITE_CORRUPT, SQLITE_NOTADB
        3 or 14 or 23 => new StateStoreException($"{_path} cannot be opened: it must be a file this user can read and write (SQLite error {ex.SqliteErrorCode}).", ex),
        8 => new StateStoreException($"{_path} is read-only: the server cannot record schedules or runs.", ex),
        5 or 6 => new StateStoreException($"{_path} stayed locked for {BusyTimeoutSeconds} s: another process is using it. Run one server per state folder.", ex),
        13 => new StateStoreException($"{_path} cannot grow: the disk is full.", ex),
        _ => new StateStoreException($"The state database {_path} failed (SQLite error {ex.SqliteErrorCode}).", ex),
    };
}
