using DefenderMcp.State;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace DefenderMcp.Tests.State;

/// <summary>The schedule store contract, on both embedded stores, and what only the SQLite file can go through.</summary>
public sealed class HuntScheduleStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Kinds => ["memory", "sqlite"];

    public void Dispose() => _temp.Dispose();

    private IHuntScheduleStore Create(string kind, HuntRetention? retention = null) => kind == "memory"
        ? new InMemoryHuntScheduleStore(retention ?? HuntRetention.Default)
        : new SqliteHuntScheduleStore(_temp.State, retention ?? HuntRetention.Default, NullLogger.Instance);

    private static HuntRunEntry Run(string hunt, int minute, int payloadBytes = 10, string tenant = "contoso") =>
        new(hunt, tenant, T0.AddMinutes(minute), "{\"n\":" + minute + ",\"pad\":\"" + new string('x', Math.Max(0, payloadBytes - 20)) + "\"}");

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Schedules_are_per_hunt_and_tenant_and_a_change_on_one_tenant_leaves_the_others(string kind)
    {
        var store = Create(kind);
        Assert.Null(await store.SaveScheduleAsync(new HuntScheduleEntry("encoded-powershell", "contoso", TimeSpan.FromMinutes(15), T0), Ct));
        Assert.Null(await store.SaveScheduleAsync(new HuntScheduleEntry("encoded-powershell", "fabrikam", TimeSpan.FromMinutes(15), T0), Ct));
        await store.SaveScheduleAsync(new HuntScheduleEntry("phishing-clicks", "contoso", TimeSpan.FromHours(1), T0), Ct);
        var replaced = await store.SaveScheduleAsync(new HuntScheduleEntry("encoded-powershell", "fabrikam", TimeSpan.FromMinutes(30), T0.AddHours(1)), Ct);

        var schedules = (await store.SchedulesAsync(Ct)).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(T0, replaced!.CreatedAt);
        Assert.Equal(["encoded-powershell/contoso", "encoded-powershell/fabrikam", "phishing-clicks/contoso"], schedules.Select(s => s.Key));
        Assert.Equal(TimeSpan.FromMinutes(15), schedules[0].Every);
        Assert.Equal(TimeSpan.FromMinutes(30), schedules[1].Every);
        Assert.Equal(T0.AddHours(1), schedules[1].CreatedAt);
        Assert.True(await store.RemoveScheduleAsync("encoded-powershell", "fabrikam", Ct));
        Assert.False(await store.RemoveScheduleAsync("encoded-powershell", "fabrikam", Ct));
        Assert.Equal(["encoded-powershell/contoso", "phishing-clicks/contoso"], (await store.SchedulesAsync(Ct)).Select(s => s.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Schedules_of_a_version_1_state_file_load_as_one_per_tenant_after_the_upgrade()
    {
        // A state file as the earlier version wrote it: one row per hunt, its tenants as a JSON array.
        Directory.CreateDirectory(_temp.State);
        Execute("CREATE TABLE hunt_schedule (hunt TEXT PRIMARY KEY NOT NULL, every_ms INTEGER NOT NULL, tenants TEXT NOT NULL, created_at INTEGER NOT NULL);" +
            $"INSERT INTO hunt_schedule VALUES ('encoded-powershell', 900000, '[\"contoso\",\"fabrikam\"]', {T0.ToUnixTimeMilliseconds()}), ('phishing-clicks', 3600000, '[\"contoso\"]', {T0.ToUnixTimeMilliseconds()});" +
            "PRAGMA user_version = 1;");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(_temp.State, SqliteHuntScheduleStore.FileName), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var schedules = (await Create("sqlite").SchedulesAsync(Ct)).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        var again = await Create("sqlite").SchedulesAsync(Ct);

        Assert.Equal(["encoded-powershell/contoso", "encoded-powershell/fabrikam", "phishing-clicks/contoso"], schedules.Select(s => s.Key));
        Assert.All(schedules, s => Assert.Equal(T0, s.CreatedAt));
        Assert.Equal(TimeSpan.FromMinutes(15), schedules[1].Every);
        Assert.Equal(3, again.Count);
        Assert.Equal(0L, Execute("SELECT COUNT(*) FROM hunt_schedule"));
        Assert.Equal(2L, Execute("PRAGMA user_version"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Retention_keeps_the_newest_runs_per_hunt(string kind)
    {
        var store = Create(kind, new HuntRetention(3, 1024 * 1024));
        for (var minute = 0; minute < 5; minute++)
        {
            await store.AddRunAsync(Run("encoded-powershell", minute), Ct);
        }

        await store.AddRunAsync(Run("phishing-clicks", 0), Ct);

        var runs = await store.RunsAsync("encoded-powershell", null, Ct);
        Assert.Equal([4, 3, 2], runs.Select(r => (int)(r.RunAt - T0).TotalMinutes));
        Assert.Single(await store.RunsAsync("phishing-clicks", null, Ct));
        Assert.Equal([4, 3], (await store.RunsAsync("encoded-powershell", T0.AddMinutes(3), Ct)).Select(r => (int)(r.RunAt - T0).TotalMinutes));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Retention_bounds_the_bytes_per_hunt_but_always_keeps_the_newest_run(string kind)
    {
        var store = Create(kind, new HuntRetention(100, 1000));
        for (var minute = 0; minute < 6; minute++)
        {
            await store.AddRunAsync(Run("encoded-powershell", minute, 300), Ct);
        }

        var runs = await store.RunsAsync("encoded-powershell", null, Ct);
        Assert.Equal([5, 4, 3], runs.Select(r => (int)(r.RunAt - T0).TotalMinutes));
        Assert.True(runs.Sum(r => r.Bytes) <= 1000);

        await store.AddRunAsync(Run("encoded-powershell", 6, 5000), Ct);
        var big = Assert.Single(await store.RunsAsync("encoded-powershell", null, Ct));
        Assert.Equal(T0.AddMinutes(6), big.RunAt);
        Assert.Equal(Run("encoded-powershell", 6, 5000).Payload, big.Payload);
    }

    [Fact]
    public async Task A_new_store_on_the_same_folder_reads_what_an_earlier_one_wrote()
    {
        var first = Create("sqlite");
        await first.SaveScheduleAsync(new HuntScheduleEntry("encoded-powershell", "contoso", TimeSpan.FromMinutes(15), T0), Ct);
        await first.AddRunAsync(Run("encoded-powershell", 1, tenant: "fabrikam"), Ct);

        var second = Create("sqlite");
        var schedule = Assert.Single(await second.SchedulesAsync(Ct));
        var run = Assert.Single(await second.RunsAsync("encoded-powershell", null, Ct));

        Assert.True(second.IsDurable);
        Assert.Equal(TimeSpan.FromMinutes(15), schedule.Every);
        Assert.Equal("fabrikam", run.Tenant);
        Assert.Equal(Run("encoded-powershell", 1).Payload, run.Payload);
    }

    [Fact]
    public async Task The_folder_is_created_0700_and_the_file_0600_and_looser_modes_are_tightened()
    {
        await Create("sqlite").SchedulesAsync(Ct);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var file = Path.Combine(_temp.State, SqliteHuntScheduleStore.FileName);
        const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(Folder, File.GetUnixFileMode(_temp.State));
        Assert.Equal(Owner, File.GetUnixFileMode(file));

        File.SetUnixFileMode(_temp.State, Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(file, Owner | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await Create("sqlite").SchedulesAsync(Ct);

        Assert.Equal(Folder, File.GetUnixFileMode(_temp.State));
        Assert.Equal(Owner, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task A_corrupt_file_is_a_clear_error_naming_the_file_and_the_way_out()
    {
        Directory.CreateDirectory(_temp.State);
        var file = Path.Combine(_temp.State, SqliteHuntScheduleStore.FileName);
        await File.WriteAllBytesAsync(file, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 31))], Ct);

        var error = await Assert.ThrowsAsync<StateStoreException>(() => Create("sqlite").SchedulesAsync(Ct));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a readable DefenderMcp state database", error.Message, StringComparison.Ordinal);
        Assert.Contains("Move it aside", error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);
    }

    [Fact]
    public async Task A_damaged_page_in_a_real_database_is_a_clear_error()
    {
        var store = Create("sqlite", new HuntRetention(1000, 64 * 1024 * 1024));
        for (var minute = 0; minute < 200; minute++)
        {
            await store.AddRunAsync(Run("encoded-powershell", minute, 2000), Ct);
        }

        // Overwrite the middle of the file (the header stays valid, the b-tree pages do not).
        var file = Path.Combine(_temp.State, SqliteHuntScheduleStore.FileName);
        await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write))
        {
            stream.Position = stream.Length / 2;
            stream.Write([.. Enumerable.Repeat((byte)0xA5, 16 * 1024)]);
        }

        var error = await Assert.ThrowsAsync<StateStoreException>(() => Create("sqlite").RunsAsync("encoded-powershell", null, Ct));
        Assert.Contains("not a readable DefenderMcp state database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unopenable_file_or_a_file_in_place_of_the_folder_is_a_clear_error()
    {
        Directory.CreateDirectory(Path.Combine(_temp.State, SqliteHuntScheduleStore.FileName));
        var folderError = await Assert.ThrowsAsync<StateStoreException>(() => Create("sqlite").SchedulesAsync(Ct));
        Assert.Contains("is a folder; it must be the state database file", folderError.Message, StringComparison.Ordinal);

        Directory.CreateDirectory(_temp.Path);
        var notAFolder = Path.Combine(_temp.Path, "plain-file");
        await File.WriteAllTextAsync(notAFolder, "x", Ct);
        var fileError = await Assert.ThrowsAsync<StateStoreException>(() => new SqliteHuntScheduleStore(notAFolder, HuntRetention.Default, NullLogger.Instance).SchedulesAsync(Ct));
        Assert.Contains("DEFENDER_MCP_STATE_DIR", fileError.Message, StringComparison.Ordinal);
        Assert.Contains("must be a folder", fileError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_written_by_a_newer_schema_is_refused_not_overwritten()
    {
        await Create("sqlite").SchedulesAsync(Ct);
        Execute("PRAGMA user_version = 99");

        var error = await Assert.ThrowsAsync<StateStoreException>(() => Create("sqlite").SchedulesAsync(Ct));
        Assert.Contains("newer DefenderMcp", error.Message, StringComparison.Ordinal);
        Assert.Equal(99L, Execute("PRAGMA user_version"));
    }

    [Fact]
    public async Task Unreadable_rows_are_skipped_and_the_rest_is_served()
    {
        var store = Create("sqlite");
        await store.SaveScheduleAsync(new HuntScheduleEntry("phishing-clicks", "contoso", TimeSpan.FromHours(1), T0), Ct);
        await store.AddRunAsync(Run("phishing-clicks", 1), Ct);
        Execute("INSERT INTO hunt_tenant_schedule (hunt, tenant, every_ms, created_at) VALUES ('bad-tenant', x'07', 60000, 0), ('bad-every', 'contoso', -5, 0), ('bad-type', 'contoso', 'soon', 0)");
        Execute("INSERT INTO hunt_run (hunt, tenant, run_at, bytes, payload) VALUES ('phishing-clicks', 'contoso', 'yesterday', 1, 'x')");

        Assert.Equal("phishing-clicks", Assert.Single(await store.SchedulesAsync(Ct)).Hunt);
        Assert.Single(await store.RunsAsync("phishing-clicks", null, Ct));
    }

    private object? Execute(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_temp.State, SqliteHuntScheduleStore.FileName), Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
