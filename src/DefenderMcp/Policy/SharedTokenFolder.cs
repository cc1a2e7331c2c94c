using System.Globalization;
using System.Security.Cryptography;

namespace DefenderMcp.Policy;

/// <summary>
/// Lets confirmation tokens outlive one process (<c>defender-mcp call</c> runs one process per call): the HMAC key and
/// the spent tokens live in a private folder (0700, files 0600). Spending is one locked read-modify-write of the ledger,
/// so a token is used once even when two processes redeem it at the same time.
/// </summary>
public sealed class SharedTokenFolder
{
    private const string KeyFile = "confirmation.key";
    private const string LedgerFile = "confirmation.spent";
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(5);
    private readonly string _ledgerPath;

    private SharedTokenFolder(string folder, byte[] key)
    {
        _ledgerPath = Path.Combine(folder, LedgerFile);
        Key = key;
    }

    /// <summary>The shared HMAC key.</summary>
    public byte[] Key { get; }

    /// <summary>Opens (or creates) the folder; null when it cannot be used, and the caller then keeps tokens in memory.</summary>
    public static SharedTokenFolder? TryOpen(string folder)
    {
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                if ((File.GetUnixFileMode(folder) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
                {
                    return null;
                }
            }
            else
            {
                Directory.CreateDirectory(folder);
            }

            var keyPath = Path.Combine(folder, KeyFile);
            if (!File.Exists(keyPath))
            {
                var fresh = RandomNumberGenerator.GetBytes(32);
                try
                {
                    using var created = new FileStream(keyPath, Private(FileMode.CreateNew));
                    created.Write(fresh);
                }
                catch (IOException) when (File.Exists(keyPath))
                {
                    // Another process created it first; use theirs.
                }
            }

            var key = File.ReadAllBytes(keyPath);
            return key.Length == 32 ? new SharedTokenFolder(folder, key) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Records <paramref name="token"/> as spent; false when it already was (or the ledger cannot be locked).</summary>
    public bool TrySpend(string token, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var deadline = now + LockWait;
        while (true)
        {
            try
            {
                using var stream = new FileStream(_ledgerPath, Private(FileMode.OpenOrCreate, FileShare.None));
                using var reader = new StreamReader(stream, leaveOpen: true);
                var kept = new List<string>();
                var spent = false;
                while (reader.ReadLine() is { } line)
                {
                    var space = line.IndexOf(' ', StringComparison.Ordinal);
                    if (space <= 0 || !long.TryParse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var expires) ||
                        DateTimeOffset.FromUnixTimeMilliseconds(expires) < now)
                    {
                        continue;
                    }

                    spent |= string.Equals(line[(space + 1)..], token, StringComparison.Ordinal);
                    kept.Add(line);
                }

                if (spent)
                {
                    return false;
                }

                kept.Add(string.Create(CultureInfo.InvariantCulture, $"{expiresAt.ToUnixTimeMilliseconds()} {token}"));
                stream.SetLength(0);
                using var writer = new StreamWriter(stream, leaveOpen: true);
                foreach (var line in kept)
                {
                    writer.Write(line);
                    writer.Write('\n');
                }

                return true;
            }
            catch (IOException) when (DateTimeOffset.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Fails closed: a token that cannot be recorded as spent is not accepted.
                return false;
            }
        }
    }

    private static FileStreamOptions Private(FileMode mode, FileShare share = FileShare.None)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.ReadWrite, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }
}
