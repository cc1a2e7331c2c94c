using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DefenderMcp.State;

/// <summary>
/// The SQLite file (<see cref="FileName"/>) in the state folder that the embedded stores share: scheduled hunts, their
/// runs and slot leases, and the action budgets, so that what the server promised survives a restart and holds for
/// every process on the folder (a second stdio copy, <c>defender-mcp call</c>). The folder is kept at mode 0700 and
/// the file at 0600. Operations are short transactions, serialized in the process; a file locked by another process
/// is waited on for at most <see cref="BusyTimeoutSeconds"/> seconds.
/// </summary>
public sealed class SqliteStateFile
{
    /// <summary>The database file's name inside the state folder.</summary>
    public const string FileName = "state.db";

    /// <summary>How long an operation waits for a lock held by another connection.</summary>
    public const int BusyTimeoutSeconds = 5;

    private const int SchemaVersion = 2;
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // Tables added later are created with IF NOT EXISTS under the same version: an older server reads the file as
    // before, ignoring them. Version 2 keeps schedules per (hunt, tenant) in hunt_tenant_schedule; the version-1 table
    // hunt_schedule (one row per hunt, its tenants as JSON) stays, emptied by the move below, so that no row is lost.
    private const string Schema =
        "CREATE TABLE IF NOT EXISTS hunt_schedule (hunt TEXT PRIMARY KEY NOT NULL, every_ms INTEGER NOT NULL, tenants TEXT NOT NULL, created_at INTEGER NOT NULL);" +
        "CREATE TABLE IF NOT EXISTS hunt_tenant_schedule (hunt TEXT NOT NULL, tenant TEXT NOT NULL, every_ms INTEGER NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (hunt, tenant));" +
        "CREATE TABLE IF NOT EXISTS hunt_run (id INTEGER PRIMARY KEY AUTOINCREMENT, hunt TEXT NOT NULL, tenant TEXT NOT NULL, run_at INTEGER NOT NULL, bytes INTEGER NOT NULL, payload TEXT NOT NULL);" +
        "CREATE INDEX IF NOT EXISTS hunt_run_by_hunt ON hunt_run (hunt, id);" +
        "CREATE TABLE IF NOT EXISTS action_budget (id INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, at_ms INTEGER NOT NULL);" +
        "CREATE INDEX IF NOT EXISTS action_budget_by_tenant ON action_budget (tenant, at_ms);" +
        "CREATE TABLE IF NOT EXISTS hunt_lease (hunt TEXT NOT NULL, slot INTEGER NOT NULL, owner TEXT NOT NULL, until_ms INTEGER NOT NULL, PRIMARY KEY (hunt, slot));";

    // Version 1 to 2: each stored schedule becomes one per tenant, same interval and creation. A row whose tenants are
    // not a JSON array of strings stays where it is (it was unreadable before too). Idempotent, in one transaction.
    private const string MoveSchedules =
        "INSERT OR IGNORE INTO hunt_tenant_schedule (hunt, tenant, every_ms, created_at) " +
        "SELECT s.hunt, t.value, s.every_ms, s.created_at FROM hunt_schedule s, json_each(s.tenants) t " +
        "WHERE json_valid(s.tenants) AND json_type(s.tenants) = 'array' AND t.type = 'text' AND t.value <> '';" +
        "DELETE FROM hunt_schedule WHERE json_valid(tenants) AND json_type(tenants) = 'array';";

    private readonly string _folder;
    private readonly string _connectionString;
    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private bool _prepared;

    /// <summary>The file in <paramref name="folder"/>; nothing is touched until the first operation.</summary>
    public SqliteStateFile(string folder, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _folder = System.IO.Path.GetFullPath(folder);
        Path = System.IO.Path.Combine(_folder, FileName);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString();
    }

    /// <summary>The database file's full path.</summary>
    public string Path { get; }

    /// <summary>Prepares the folder and file and checks the database now, instead of at the first operation.</summary>
    public void EnsureReady()
    {
        lock (_gate)
        {
            Prepare();
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on an open connection, serialized in the process. Every SQLite failure
    /// becomes a <see cref="StateStoreException"/> whose message says what is wrong with the file and what to do.
    /// </summary>
    public Task<T> RunAsync<T>(Func<SqliteConnection, T> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
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

    /// <summary>A command with its parameters, for one of <see cref="RunAsync{T}"/>'s operations.</summary>
    public static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    // Creates the folder (0700) and file (0600) when missing, tightens their modes, then checks and creates the schema.
    // Runs again after a failure, so a file moved aside or fixed is picked up without a restart.
    private void Prepare()
    {
        if (_prepared && File.Exists(Path))
        {
            return;
        }

        if (_prepared)
        {
            // Removed while the server ran (by hand, a cleaner of temporary folders): made again, empty, rather than
            // failing every later operation until a restart.
            _prepared = false;
            _logger.LogWarning("The state database {Path} was removed while the server ran; a new empty one is made (the schedules, runs and budgets stored in it are gone)", Path);
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
                throw new StateStoreException($"{Path} was written by a newer DefenderMcp (state schema {version}, this version reads {SchemaVersion}). Upgrade, or point DEFENDER_MCP_STATE_DIR at another folder.");
            }

            if (Scalar(connection, "PRAGMA quick_check(1)") is not "ok")
            {
                throw Corrupt(null);
            }

            using (var transaction = connection.BeginTransaction())
            {
                using var schema = Command(connection, Schema + MoveSchedules + $"PRAGMA user_version = {SchemaVersion};");
                schema.Transaction = transaction;
                schema.ExecuteNonQuery();
                transaction.Commit();
            }
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
        if (Directory.Exists(Path))
        {
            throw new StateStoreException($"{Path} is a folder; it must be the state database file. Move it aside.");
        }

        if (!File.Exists(Path))
        {
            // An empty file is an empty database to SQLite; creating it here fixes its mode before any data is written.
            var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = FileMode600;
            }

            using (new FileStream(Path, options))
            {
            }
        }
        else if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(Path) != FileMode600)
        {
            File.SetUnixFileMode(Path, FileMode600);
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        return command.ExecuteScalar();
    }

    private StateStoreException Corrupt(Exception? cause)
    {
        var message = $"{Path} is not a readable DefenderMcp state database (corrupt, or another kind of file). Move it aside to start with empty state; the schedules and results in it are lost to this server.";
        return cause is null ? new StateStoreException(message) : new StateStoreException(message, cause);
    }

    private StateStoreException Translate(SqliteException ex) => ex.SqliteErrorCode switch
    {
        11 or 26 => Corrupt(ex), // SQLITE_CORRUPT, SQLITE_NOTADB
        3 or 14 or 23 => new StateStoreException($"{Path} cannot be opened: it must be a file this user can read and write (SQLite error {ex.SqliteErrorCode}).", ex),
        8 => new StateStoreException($"{Path} is read-only: the server cannot record schedules, runs or action budgets.", ex),
        5 or 6 => new StateStoreException($"{Path} stayed locked for {BusyTimeoutSeconds} s by another process (a long transaction, or a tool such as sqlite3 left open on it).", ex),
        13 => new StateStoreException($"{Path} cannot grow: the disk is full.", ex),
        _ => new StateStoreException($"The state database {Path} failed (SQLite error {ex.SqliteErrorCode}).", ex),
    };
}
