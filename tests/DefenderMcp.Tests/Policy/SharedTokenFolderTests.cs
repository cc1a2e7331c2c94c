using System.Diagnostics;
using System.Text.Json.Nodes;
using DefenderMcp.Policy;
using DefenderMcp.State;
using DefenderMcp.Tests.Hunting;
using DefenderMcp.Tests.Support;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Tests.Policy;

public sealed class SharedTokenFolderTests : IDisposable
{
    private static readonly TimeSpan ShortWait = TimeSpan.FromMilliseconds(400);
    private readonly string _dir = Path.Combine(Directory.CreateTempSubdirectory("defender-mcp-tokens-").FullName, "tokens");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dir)!, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string KeyPath => Path.Combine(_dir, "confirmation.key");

    private string SpentPath => Path.Combine(_dir, "confirmation.spent");

    private string LockPath => Path.Combine(_dir, "confirmation.lock");

    [Fact]
    public async Task A_token_issued_by_one_process_is_spent_once_by_another()
    {
        var time = new ManualTimeProvider();
        var args = new JsonObject { ["incident_id"] = "4301", ["comment"] = "x" };
        var first = new ConfirmationTokens(time, TimeSpan.FromMinutes(5), new SharedTokenFolder(_dir));
        var second = new ConfirmationTokens(time, TimeSpan.FromMinutes(5), new SharedTokenFolder(_dir));
        var isolated = new ConfirmationTokens(time, TimeSpan.FromMinutes(5));

        var (token, _) = await first.IssueAsync("add_incident_comment", "contoso", null, args, Ct);

        Assert.False(await isolated.TryRedeemAsync(token, "add_incident_comment", "contoso", null, args, Ct));
        Assert.False(await second.TryRedeemAsync(token, "add_incident_comment", "fabrikam", null, args, Ct));
        Assert.True(await second.TryRedeemAsync(token, "add_incident_comment", "contoso", null, args, Ct));
        Assert.False(await first.TryRedeemAsync(token, "add_incident_comment", "contoso", null, args, Ct));
        if (!OperatingSystem.IsWindows())
        {
            var privateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir));
            Assert.Equal(privateFile, File.GetUnixFileMode(KeyPath));
            Assert.Equal(privateFile, File.GetUnixFileMode(SpentPath));
            Assert.Equal(privateFile, File.GetUnixFileMode(LockPath));
        }
    }

    [Fact]
    public async Task A_folder_others_can_read_is_refused_with_a_clear_error()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Directory.CreateDirectory(_dir);
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var error = await Assert.ThrowsAsync<StateStoreException>(() => new SharedTokenFolder(_dir).KeyAsync(Ct));

        Assert.Contains("chmod 700", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyPath));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(33)]
    public async Task A_torn_or_short_key_file_is_replaced_with_a_fresh_key_and_a_warning_that_never_shows_a_key(int length)
    {
        PrivateFolder();
        var damaged = Enumerable.Range(1, length).Select(i => (byte)i).ToArray();
        await File.WriteAllBytesAsync(KeyPath, damaged, Ct);
        var logger = new LinesLogger<SharedTokenFolder>(LogLevel.Warning);

        var key = await new SharedTokenFolder(_dir, logger).KeyAsync(Ct);

        Assert.Equal(32, key.Length);
        Assert.Equal(key, await File.ReadAllBytesAsync(KeyPath, Ct));
        Assert.Equal(key, await new SharedTokenFolder(_dir).KeyAsync(Ct));
        var warning = Assert.Single(logger.Lines);
        Assert.StartsWith("Warning ", warning, StringComparison.Ordinal);
        Assert.Contains($"was {length} bytes instead of 32", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(key), warning, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(key), warning, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
        }
    }

    [Fact]
    public async Task A_good_key_file_is_kept_without_a_warning()
    {
        var first = await new SharedTokenFolder(_dir).KeyAsync(Ct);
        var logger = new LinesLogger<SharedTokenFolder>(LogLevel.Warning);

        Assert.Equal(first, await new SharedTokenFolder(_dir, logger).KeyAsync(Ct));
        Assert.Empty(logger.Lines);
    }

    [Fact]
    public async Task Leftover_temp_files_of_a_crashed_writer_are_removed_on_the_next_open()
    {
        var key = await new SharedTokenFolder(_dir).KeyAsync(Ct);
        Assert.True(await new SharedTokenFolder(_dir).TrySpendAsync("kept", Now.AddMinutes(5), Now, Ct));
        var leftovers = new[] { Path.Combine(_dir, "confirmation.spent.0a1b2c3d4e5f.tmp"), Path.Combine(_dir, "confirmation.key.0a1b2c3d4e5f.tmp") };
        foreach (var leftover in leftovers)
        {
            await File.WriteAllTextAsync(leftover, "12", Ct);
        }

        var next = new SharedTokenFolder(_dir);
        Assert.Equal(key, await next.KeyAsync(Ct));

        Assert.All(leftovers, l => Assert.False(File.Exists(l), l));
        Assert.False(await next.TrySpendAsync("kept", Now.AddMinutes(5), Now, Ct));
        Assert.Equal(["confirmation.key", "confirmation.lock", "confirmation.spent"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_spent_list_survives_a_crash_between_the_temp_write_and_the_rename()
    {
        var before = new SharedTokenFolder(_dir);
        Assert.True(await before.TrySpendAsync("first", Now.AddMinutes(5), Now, Ct));
        var intact = await File.ReadAllTextAsync(SpentPath, Ct);

        // The writer dies after its temp file is on disk and before the rename.
        var crashing = new SharedTokenFolder(_dir) { BeforeRename = _ => throw new SimulatedCrashException() };
        await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.TrySpendAsync("second", Now.AddMinutes(5), Now, Ct));

        var temp = Assert.Single(Directory.GetFiles(_dir, "confirmation.spent.*.tmp"));
        Assert.Contains("second", await File.ReadAllTextAsync(temp, Ct), StringComparison.Ordinal);
        Assert.Equal(intact, await File.ReadAllTextAsync(SpentPath, Ct));

        var after = new SharedTokenFolder(_dir);
        Assert.False(await after.TrySpendAsync("first", Now.AddMinutes(5), Now, Ct));

        // The crashed spend never completed, so its token was not accepted and is still unspent; the temp file is gone.
        Assert.True(await after.TrySpendAsync("second", Now.AddMinutes(5), Now, Ct));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
        Assert.False(await after.TrySpendAsync("second", Now.AddMinutes(5), Now, Ct));
    }

    [Fact]
    public async Task A_crash_while_the_first_key_is_written_leaves_no_key_file_and_the_next_open_makes_one()
    {
        var crashing = new SharedTokenFolder(_dir) { BeforeRename = _ => throw new SimulatedCrashException() };
        await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.KeyAsync(Ct));
        Assert.False(File.Exists(KeyPath));
        Assert.Single(Directory.GetFiles(_dir, "confirmation.key.*.tmp"));

        var key = await new SharedTokenFolder(_dir).KeyAsync(Ct);

        Assert.Equal(key, await File.ReadAllBytesAsync(KeyPath, Ct));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public async Task A_lock_held_by_another_handle_times_out_within_the_bound_with_a_clear_error()
    {
        await new SharedTokenFolder(_dir).KeyAsync(Ct);
        var folder = new SharedTokenFolder(_dir, null, ShortWait);
        using (new FileStream(LockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var waited = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<StateStoreException>(() => folder.TrySpendAsync("t", Now.AddMinutes(5), Now, Ct));
            waited.Stop();

            Assert.InRange(waited.Elapsed, ShortWait, ShortWait + TimeSpan.FromSeconds(3));
            Assert.Contains("stayed locked for 0.4 s by another process (confirmation.lock)", error.Message, StringComparison.Ordinal);
        }

        Assert.True(await folder.TrySpendAsync("t", Now.AddMinutes(5), Now, Ct));
    }

    [Fact]
    public async Task A_lock_held_by_another_process_times_out_within_the_bound()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && File.Exists("/usr/bin/flock"), "needs flock(1)");
        PrivateFolder();
        var info = new ProcessStartInfo("/usr/bin/flock", ["-x", LockPath, "-c", "echo held; sleep 30"]) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var holder = Process.Start(info)!;
        try
        {
            Assert.Equal("held", await holder.StandardOutput.ReadLineAsync(Ct));
            var waited = Stopwatch.StartNew();

            var error = await Assert.ThrowsAsync<StateStoreException>(() => new SharedTokenFolder(_dir, null, ShortWait).KeyAsync(Ct));

            Assert.InRange(waited.Elapsed, ShortWait, ShortWait + TimeSpan.FromSeconds(3));
            Assert.Contains("stayed locked", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync(Ct);
        }

        Assert.Equal(32, (await new SharedTokenFolder(_dir, null, ShortWait).KeyAsync(Ct)).Length);
    }

    [Fact]
    public void The_default_wait_for_the_lock_is_five_seconds() =>
        Assert.Equal(TimeSpan.FromSeconds(5), SharedTokenFolder.DefaultLockWait);

    [Fact]
    public async Task Of_many_concurrent_consumers_of_one_token_exactly_one_wins()
    {
        var time = new ManualTimeProvider();
        var args = new JsonObject { ["incident_id"] = "4301", ["comment"] = "x" };
        var (token, _) = await new ConfirmationTokens(time, TimeSpan.FromMinutes(5), new SharedTokenFolder(_dir)).IssueAsync("add_incident_comment", "contoso", null, args, Ct);
        var consumers = Enumerable.Range(0, 12).Select(_ => new ConfirmationTokens(time, TimeSpan.FromMinutes(5), new SharedTokenFolder(_dir))).ToList();
        using var start = new Barrier(consumers.Count);

        var verdicts = await Task.WhenAll(consumers.Select(c => Task.Run(
            () =>
            {
                start.SignalAndWait(Ct);
                return c.TryRedeemAsync(token, "add_incident_comment", "contoso", null, args, Ct);
            },
            Ct)));

        Assert.Single(verdicts, v => v);
        Assert.Single(await File.ReadAllLinesAsync(SpentPath, Ct));
    }

    [Fact]
    public async Task A_spend_the_folder_could_not_record_is_refused_and_the_token_stays_usable()
    {
        var ledger = new InMemoryConfirmationLedger(new ManualTimeProvider(), new SharedTokenFolder(_dir, null, ShortWait));
        var key = await ledger.SigningKeyAsync(Ct);
        using (new FileStream(LockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            await Assert.ThrowsAsync<StateStoreException>(() => ledger.TrySpendAsync("t", key, Now.AddMinutes(5), Ct));
        }

        Assert.True(await ledger.TrySpendAsync("t", key, Now.AddMinutes(5), Ct));
        Assert.False(await ledger.TrySpendAsync("t", key, Now.AddMinutes(5), Ct));
    }

    private void PrivateFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(_dir);
        }
        else
        {
            Directory.CreateDirectory(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static DateTimeOffset Now => new ManualTimeProvider().GetUtcNow();

    private sealed class SimulatedCrashException : Exception;
}
