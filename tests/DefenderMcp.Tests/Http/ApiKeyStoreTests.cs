using DefenderMcp.Hosting.Http;

namespace DefenderMcp.Tests.Http;

/// <summary>The API keys file: only hashes kept, 0600, exact matching, changes picked up, broken files refused.</summary>
public sealed class ApiKeyStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dmcp-keys-").FullName;

    private string FilePath => Path.Combine(_folder, "sub", "api-keys.json");

    [Fact]
    public void A_written_file_holds_only_hashes_with_mode_0600_and_matches_exactly_its_keys()
    {
        var alice = ApiKeyStore.NewKey();
        var bob = ApiKeyStore.NewKey();
        var store = new ApiKeyStore(FilePath);
        store.Write([new ApiKeyEntry("alice", ApiKeyStore.Hash(alice), DateTimeOffset.UnixEpoch), new ApiKeyEntry("bob", ApiKeyStore.Hash(bob), DateTimeOffset.UnixEpoch)]);
        store.Load();

        var text = File.ReadAllText(FilePath);
        Assert.DoesNotContain(alice, text, StringComparison.Ordinal);
        Assert.DoesNotContain(bob, text, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        }

        Assert.StartsWith(ApiKeyStore.KeyPrefix, alice, StringComparison.Ordinal);
        Assert.NotEqual(alice, bob);
        Assert.Equal("alice", store.Match(alice));
        Assert.Equal("bob", store.Match(bob));
        Assert.Null(store.Match(alice[..^1]));
        Assert.Null(store.Match(alice + "x"));
        Assert.Null(store.Match(alice.ToUpperInvariant()));
        Assert.Null(store.Match(string.Empty));
    }

    [Fact]
    public async Task A_removed_key_stops_matching_without_a_restart_and_a_broken_rewrite_keeps_the_last_good_keys()
    {
        var key = ApiKeyStore.NewKey();
        var other = ApiKeyStore.NewKey();
        var store = new ApiKeyStore(FilePath);
        store.Write([new ApiKeyEntry("ci", ApiKeyStore.Hash(key), DateTimeOffset.UnixEpoch), new ApiKeyEntry("other", ApiKeyStore.Hash(other), DateTimeOffset.UnixEpoch)]);
        store.Load();
        Assert.Equal("ci", store.Match(key));

        store.Write([new ApiKeyEntry("other", ApiKeyStore.Hash(other), DateTimeOffset.UnixEpoch)]);
        File.SetLastWriteTimeUtc(FilePath, DateTime.UtcNow.AddSeconds(5));
        await EventuallyAsync(() => store.Match(key) is null);
        Assert.Equal("other", store.Match(other));

        File.WriteAllText(FilePath, "{ half written");
        File.SetLastWriteTimeUtc(FilePath, DateTime.UtcNow.AddSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        Assert.Equal("other", store.Match(other));
    }

    [Fact]
    public async Task A_rewrite_others_may_write_adds_no_key_until_chmod_600_fixes_it()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var key = ApiKeyStore.NewKey();
        var added = ApiKeyStore.NewKey();
        var store = new ApiKeyStore(FilePath);
        store.Write([new ApiKeyEntry("ci", ApiKeyStore.Hash(key), DateTimeOffset.UnixEpoch)]);
        store.Load();

        // Anyone who may write the file could have put this key there: the start refuses such a file, so must a reload.
        store.Write([new ApiKeyEntry("ci", ApiKeyStore.Hash(key), DateTimeOffset.UnixEpoch), new ApiKeyEntry("gina", ApiKeyStore.Hash(added), DateTimeOffset.UnixEpoch)]);
        File.SetUnixFileMode(FilePath, (UnixFileMode)Convert.ToInt32("666", 8));
        File.SetLastWriteTimeUtc(FilePath, DateTime.UtcNow.AddSeconds(5));
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        Assert.Null(store.Match(added));
        Assert.Equal("ci", store.Match(key));

        // Fixed as the warning says; chmod leaves the write time as it was.
        File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await EventuallyAsync(() => store.Match(added) is not null);
        Assert.Equal("gina", store.Match(added));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"keys\":[{\"name\":\"bad name!\",\"sha256\":\"" + "00000000000000000000000000000000000000000000000000000000000000aa" + "\"}]}")]
    [InlineData("{\"keys\":[{\"name\":\"ok\",\"sha256\":\"abc\"}]}")]
    [InlineData("{\"keys\":[{\"name\":\"ok\",\"sha256\":\"" + "zz000000000000000000000000000000000000000000000000000000000000aa" + "\"}]}")]
    public void A_malformed_file_is_refused_at_load(string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Assert.DoesNotContain("mode", Assert.Throws<InvalidDataException>(() => new ApiKeyStore(FilePath).Load()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ci-pipeline", true)]
    [InlineData("alice@contoso.com", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("new\nline", false)]
    public void Key_names_are_safe_for_audit_lines(string name, bool valid) => Assert.Equal(valid, ApiKeyStore.IsValidName(name));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(200, deadline.Token);
        }
    }

    [Fact]
    public void A_name_given_twice_is_refused_with_its_path()
    {
        var hash = new string('a', 64);
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, $$"""{"keys": [{"name": "ci", "sha256": "{{hash}}"}], "keys": []}""");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var ex = Assert.Throws<InvalidDataException>(() => new ApiKeyStore(FilePath).Load());

        Assert.Equal("$.keys: given more than once; keep one (JSON readers disagree on which one counts)", ex.Message);
    }
}
