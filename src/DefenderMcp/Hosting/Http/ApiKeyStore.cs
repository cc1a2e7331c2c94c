using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using DefenderMcp.State;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// The API keys file: <c>{"keys":[{"name","sha256","created"}]}</c>, mode 0600. Keys are random 256-bit values shown
/// once by <c>defender-mcp keys add</c>; only their SHA-256 is kept, so the file alone lets nobody call the server.
/// The server re-reads the file when it changes, so <c>keys remove</c> takes effect without a restart; a version that
/// others may read or write is refused then as at start (the keys read before stay in use), and taken once fixed.
/// </summary>
public sealed partial class ApiKeyStore(string path)
{
    /// <summary>Every key starts with this, so a leaked key is easy to recognise in a secret scanner.</summary>
    public const string KeyPrefix = "dmcp_";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private IReadOnlyList<(string Name, byte[] Hash)> _hashes = [];
    private DateTime _loadedWriteTime = DateTime.MinValue;
    private DateTime _failedWriteTime = DateTime.MinValue;
    private long _nextCheck;
    private ILogger? _logger;

    /// <summary>The file's path.</summary>
    public string Path { get; } = path;

    /// <summary><c>$XDG_CONFIG_HOME/defender-mcp/api-keys.json</c> (or <c>~/.config/...</c>), where <c>keys add</c> writes by default.</summary>
    public static string DefaultPath =>
        System.IO.Path.Combine(
            Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"),
            "defender-mcp",
            "api-keys.json");

    /// <summary>The default file when it exists, else null.</summary>
    public static string? DefaultPathIfPresent() => File.Exists(DefaultPath) ? DefaultPath : null;

    /// <summary>True when <paramref name="name"/> is a valid key name (it appears in audit lines and metrics).</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>A new random key (shown once, never stored).</summary>
    public static string NewKey() => KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Reads the entries; throws <see cref="InvalidDataException"/> on a malformed file.</summary>
    public IReadOnlyList<ApiKeyEntry> Read()
    {
        if (!File.Exists(Path))
        {
            // No keys yet, unless the file is only out of sight: then "no keys" would hide the one a server reads.
            return Configuration.SecureFile.InClosedFolder(Path)
                ? throw new UnauthorizedAccessException($"this user ({Environment.UserName}) cannot enter its folder; give the user the server runs as access to it (chown or chmod)")
                : [];
        }

        try
        {
            var text = File.ReadAllText(Path);
            using (var document = JsonDocument.Parse(text))
            {
                // The serializer keeps the last of a repeated name, hiding the others; a hand-edited file says so instead.
                if (Configuration.DuplicateNames.Find(document.RootElement, quoteNames: false) is { Count: > 0 } repeated)
                {
                    throw new InvalidDataException(repeated[0]);
                }
            }

            var file = JsonSerializer.Deserialize<KeysFile>(text, Json);
            var keys = file?.Keys ?? [];
            foreach (var key in keys)
            {
                if (key is null || !IsValidName(key.Name ?? string.Empty) || key.Sha256 is not { Length: 64 } || !key.Sha256.All(Uri.IsHexDigit))
                {
                    throw new InvalidDataException("an entry has no valid name or sha256");
                }
            }

            return keys;
        }
        catch (JsonException)
        {
            throw new InvalidDataException("not valid JSON");
        }
    }

    /// <summary>Writes the entries atomically with mode 0600.</summary>
    public void Write(IReadOnlyList<ApiKeyEntry> keys)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var temp = Path + ".tmp-" + Environment.ProcessId;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, new KeysFile { Keys = [.. keys] }, Json);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, Path, overwrite: true);
        FolderFlush.Flush(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
    }

    /// <summary>
    /// The name of the key that matches <paramref name="presented"/>, or null. Every stored hash is compared in
    /// constant time and the loop never stops early, so timing tells nothing about which key is close.
    /// </summary>
    public string? Match(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        string? found = null;
        foreach (var (name, stored) in Current())
        {
            if (CryptographicOperations.FixedTimeEquals(hash, stored))
            {
                found ??= name;
            }
        }

        return found;
    }

    /// <summary>Loads the file now (start-up); throws <see cref="InvalidDataException"/> when it is malformed.</summary>
    public void Load()
    {
        lock (_gate)
        {
            // As at start: a file others may write could hold a key they added, so its keys are not taken. Checked on
            // every reload, since a running server re-reads the file when it changes.
            if (File.Exists(Path) && Configuration.SecureFile.Check(Path, "the API keys file") is { } problem)
            {
                throw new InvalidDataException(problem);
            }

            var writeTime = File.GetLastWriteTimeUtc(Path);
            _hashes = [.. Read().Select(k => (k.Name, Convert.FromHexString(k.Sha256)))];
            // Only once read: a refused version is tried again at the next check (chmod changes no write time).
            _loadedWriteTime = writeTime;
            _nextCheck = Environment.TickCount64 + (long)RecheckInterval.TotalMilliseconds;
        }
    }

    /// <summary>
    /// Where a running server says that the file changed: each reload (Information), and a file it cannot read
    /// (Warning, once per version of the file), since the keys read before then stay in use, a removed one included.
    /// </summary>
    public void ReportTo(ILogger logger) => _logger = logger;

    private IReadOnlyList<(string Name, byte[] Hash)> Current()
    {
        if (Environment.TickCount64 < Volatile.Read(ref _nextCheck))
        {
            return _hashes;
        }

        lock (_gate)
        {
            _nextCheck = Environment.TickCount64 + (long)RecheckInterval.TotalMilliseconds;
            var writeTime = DateTime.MinValue;
            try
            {
                writeTime = File.GetLastWriteTimeUtc(Path);
                if (writeTime != _loadedWriteTime)
                {
                    Load();
                    _logger?.LogInformation("API keys file {Path} reloaded: {Count} keys ({Names}).", Path, _hashes.Count, string.Join(", ", _hashes.Select(h => h.Name)));
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // A half-written or broken file keeps the last good keys; the next check tries again. An operator who
                // removed a key by hand and broke the file must hear that the key still works.
                if (writeTime != _failedWriteTime)
                {
                    _failedWriteTime = writeTime;
                    _logger?.LogWarning("API keys file {Path} cannot be read ({Reason}); the {Count} keys read before stay in use, a removed one included, until it can. Fix it, or rewrite it with defender-mcp keys add/remove.", Path, ex.Message, _hashes.Count);
                }
            }

            return _hashes;
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^[A-Za-z0-9_.@-]{1,64}$")]
    private static partial Regex NamePattern();

    private sealed class KeysFile
    {
        [JsonPropertyName("keys")]
        public List<ApiKeyEntry> Keys { get; init; } = [];
    }
}
