using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DefenderMcp.E2E.Cluster;

/// <summary>
/// A real <c>redis-server</c> (the Debian package) on loopback, with a password, for the cluster tests: started on a
/// free port, stoppable and restartable on the same port (the failure tests), killed at the end. Without the binary a
/// test fails in CI (CI=true: .ci/run installs it) and is skipped elsewhere, naming the install command. Tests that
/// never stop Redis use the one .ci/run started when <c>DEFENDER_MCP_TEST_REDIS</c> names it (host:port, no password).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    /// <summary>The variable .ci/run sets to the Redis it started.</summary>
    public const string SharedVariable = "DEFENDER_MCP_TEST_REDIS";

    private readonly string? _binary;
    private readonly string _folder;
    private readonly string? _external;
    private Process? _process;

    private RedisServer(string? binary, int port, string folder, string? external = null)
    {
        _binary = binary;
        _external = external;
        Port = port;
        _folder = folder;
        PasswordFile = Path.Combine(folder, "redis.password");
        File.WriteAllText(PasswordFile, Password);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary>The password Redis requires.</summary>
    public string Password { get; } = "pw-" + Guid.NewGuid().ToString("N");

    /// <summary>The password to connect with: null for the shared Redis of .ci/run, which has none.</summary>
    public string? PasswordOrNull => _external is null ? Password : null;

    /// <summary>A 0600 file holding <see cref="Password"/>.</summary>
    public string PasswordFile { get; }

    /// <summary>The connection string a server is given (no password: that comes from the file).</summary>
    public string Connection => _external ?? $"127.0.0.1:{Port}";

    /// <summary>The server variables that point at this Redis, with a key prefix of the test's own.</summary>
    public (string, string)[] ServerEnvironment(string prefix) => _external is not null
        ? [("DEFENDER_MCP_REDIS", Connection), ("DEFENDER_MCP_REDIS_PREFIX", prefix)]
        : [("DEFENDER_MCP_REDIS", Connection), ("DEFENDER_MCP_REDIS_PASSWORD_FILE", PasswordFile), ("DEFENDER_MCP_REDIS_PREFIX", prefix)];

    /// <summary>The Redis of .ci/run when <see cref="SharedVariable"/> names one; otherwise a new one of this test's own.</summary>
    public static Task<RedisServer> SharedOrStartAsync(CancellationToken ct) =>
        Environment.GetEnvironmentVariable(SharedVariable) is { Length: > 0 } shared
            ? Task.FromResult(new RedisServer(null, 0, Directory.CreateTempSubdirectory("defender-mcp-redis-").FullName, shared))
            : StartAsync(ct);

    /// <summary>Starts a new Redis on a free loopback port (fails in CI and skips elsewhere when it is not installed).</summary>
    public static async Task<RedisServer> StartAsync(CancellationToken ct)
    {
        var binary = Find();
        var folder = Directory.CreateTempSubdirectory("defender-mcp-redis-").FullName;
        var redis = new RedisServer(binary, FreePort(), folder);
        await redis.RestartAsync(ct);
        return redis;
    }

    /// <summary>The redis-server binary, or a failed (CI) or skipped (local) test.</summary>
    public static string Find()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "redis-server"))
            .FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }

        const string Missing = "redis-server is not installed (apt-get update && apt-get install -y redis-server)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(Missing + "; .ci/run must install it.");
        }

        Assert.Skip(Missing + ".");
        return null!;
    }

    /// <summary>Starts (again) on the same port and waits until it answers PING.</summary>
    public async Task RestartAsync(CancellationToken ct)
    {
        Assert.Null(_external);
        Stop();
        var info = new ProcessStartInfo(_binary!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--requirepass", Password, "--save", string.Empty, "--appendonly", "no", "--daemonize", "no", "--dir", _folder })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (!await PingAsync(timeout.Token))
        {
            Assert.False(_process.HasExited, "redis-server exited at start");
            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>Kills Redis at once, as a crash or a network cut would look to the servers.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Runs one command (RESP, after AUTH) and returns the raw reply.</summary>
    public async Task<string> CommandAsync(CancellationToken ct, params string[] args)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port, ct);
        var stream = client.GetStream();
        await SendAsync(stream, ["AUTH", Password], ct);
        var auth = await ReadAsync(stream, ct);
        Assert.StartsWith("+OK", auth, StringComparison.Ordinal);
        await SendAsync(stream, args, ct);
        return await ReadAsync(stream, ct);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }

        return ValueTask.CompletedTask;
    }

    private async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            return (await CommandAsync(ct, "PING")).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task SendAsync(NetworkStream stream, string[] args, CancellationToken ct)
    {
        var command = new StringBuilder().Append('*').Append(args.Length).Append("\r\n");
        foreach (var arg in args)
        {
            command.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(command.ToString()), ct);
    }

    private static async Task<string> ReadAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, ct);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
