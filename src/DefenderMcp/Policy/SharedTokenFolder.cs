using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DefenderMcp.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DefenderMcp.Policy;

/// <summary>
/// Lets confirmation tokens outlive one process (<c>defender-mcp call</c> runs one process per call): the HMAC key and
/// the spent tokens live in a private folder (0700, files 0600). Every read and write happens while this process holds
/// <c>confirmation.lock</c> exclusively, waiting for it at most a few seconds; every write goes to a temp file in the
/// folder, is flushed to disk and then renamed over the old file, so a crash leaves the old file or the new one, never
/// a torn or empty one. A token is spent once even when two processes redeem it at the same time. Nothing is touched
/// until the first use; a folder that cannot be used throws <see cref="StateStoreException"/>, so the write is refused.
/// </summary>
public sealed class SharedTokenFolder
{
    /// <summary>How long a process waits for another one's lock before it gives up with a clear error.</summary>
    public static readonly TimeSpan DefaultLockWait = TimeSpan.FromSeconds(5);

    private const string KeyFile = "confirmation.key";
    private const string LedgerFile = "confirmation.spent";
    private const string LockFile = "confirmation.lock";
    private const string TempPattern = "confirmation.*.tmp";
    private const int KeyBytes = 32;
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(20);

    private readonly ILogger _logger;
    private readonly TimeSpan _lockWait;
    private byte[]? _key;

    /// <summary>The folder <paramref name="folder"/>; nothing is touched until the key or the spent list is needed.</summary>
    public SharedTokenFolder(string folder, ILogger? logger = null)
        : this(folder, logger, DefaultLockWait)
    {
    }

    /// <summary>As above, with a shorter wait for the lock (tests).</summary>
    internal SharedTokenFolder(string folder, ILogger? logger, TimeSpan lockWait)
    {
        Folder = Path.GetFullPath(folder);
        _logger = logger ?? NullLogger.Instance;
        _lockWait = lockWait;
    }

    /// <summary>The folder's full path.</summary>
    public string Folder { get; }

    /// <summary>Runs after a temp file is on disk and before it is renamed into place: tests simulate a crash there.</summary>
    internal Action<string>? BeforeRename { get; set; }

    /// <summary>The shared HMAC key: read once, or made when the folder has none (or a damaged one, with a warning).</summary>
    public async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _key) is { } known)
        {
            return known;
        }

        return await LockedAsync(() => LoadKey(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records <paramref name="token"/> as spent; false when it already was. Throws <see cref="StateStoreException"/> when the folder cannot answer.</summary>
    public Task<bool> TrySpendAsync(string token, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        LockedAsync(() => Spend(token, expiresAt, now), cancellationToken);

    private byte[] LoadKey()
    {
        var path = Path.Combine(Folder, KeyFile);
        var existing = File.Exists(path) ? File.ReadAllBytes(path) : null;
        if (existing is { Length: KeyBytes })
        {
            Volatile.Write(ref _key, existing);
            return existing;
        }

        var fresh = RandomNumberGenerator.GetBytes(KeyBytes);
        WriteAtomically(KeyFile, fresh);
        if (existing is not null)
        {
            // Never the key itself: only that it was unusable and what that means for tokens already given out.
            _logger.LogWarning(
                "The confirmation key {Path} was {Length} bytes instead of {Expected} (damaged or cut short); replaced it with a fresh key, so confirmation tokens issued before no longer confirm",
                path,
                existing.Length,
                KeyBytes);
        }

        Volatile.Write(ref _key, fresh);
        return fresh;
    }

    private bool Spend(string token, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var path = Path.Combine(Folder, LedgerFile);
        var kept = new StringBuilder();
        if (File.Exists(path))
        {
            foreach (var line in File.ReadAllLines(path))
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                if (space <= 0 || !long.TryParse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var expires) ||
                    DateTimeOffset.FromUnixTimeMilliseconds(expires) < now)
                {
                    continue;
                }

                if (string.Equals(line[(space + 1)..], token, StringComparison.Ordinal))
                {
                    return false;
                }

                kept.Append(line).Append('\n');
            }
        }

        kept.Append(CultureInfo.InvariantCulture, $"{expiresAt.ToUnixTimeMilliseconds()} {token}\n");
        WriteAtomically(LedgerFile, Encoding.UTF8.GetBytes(kept.ToString()));
        return true;
    }

    // Temp file in the same folder (so the rename stays on one file system), flushed to disk, then renamed over the target.
    private void WriteAtomically(string name, byte[] content)
    {
        var temp = Path.Combine(Folder, $"{name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        using (var stream = new FileStream(temp, Private(FileMode.CreateNew)))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        BeforeRename?.Invoke(temp);
        File.Move(temp, Path.Combine(Folder, name), overwrite: true);
        FolderFlush.Flush(Folder);
    }

    private async Task<T> LockedAsync<T>(Func<T> body, CancellationToken cancellationToken)
    {
        try
        {
            PrepareFolder();
            using var held = await AcquireAsync(cancellationToken).ConfigureAwait(false);
            RemoveLeftovers();
            return body();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StateStoreException($"The confirmation token folder {Folder} cannot be read or written ({ex.GetType().Name}: {ex.Message}); check that it is this user's and has room.", ex);
        }
    }

    private void PrepareFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Folder);
            return;
        }

        Directory.CreateDirectory(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if ((File.GetUnixFileMode(Folder) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            throw new StateStoreException($"The confirmation token folder {Folder} is open to other users; it holds the key that signs confirmations, so it must be private (chmod 700).");
        }
    }

    private async Task<FileStream> AcquireAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Folder, LockFile);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None: an exclusive lock (flock on Unix) that other processes and other handles respect.
                return new FileStream(path, Private(FileMode.OpenOrCreate));
            }
            catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException))
            {
                if (waited.Elapsed >= _lockWait)
                {
                    throw new StateStoreException(
                        string.Create(CultureInfo.InvariantCulture, $"The confirmation token folder {Folder} stayed locked for {_lockWait.TotalSeconds:0.#} s by another process ({LockFile}); try again, or end the process that holds it."),
                        ex);
                }

                await Task.Delay(LockPoll, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Only writers holding the lock make temp files, so any found while holding it is from a writer that crashed.
    private void RemoveLeftovers()
    {
        foreach (var leftover in Directory.EnumerateFiles(Folder, TempPattern))
        {
            File.Delete(leftover);
            _logger.LogInformation("Removed {File}, left by an interrupted write of the confirmation token folder", Path.GetFileName(leftover));
        }
    }

    private static FileStreamOptions Private(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }
}
