using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DefenderMcp.Emulator;
using ModelContextProtocol.Client;

namespace DefenderMcp.Bench;

/// <summary>Paths, server launch, direct emulator calls and statistics shared by the server benchmarks.</summary>
internal static class BenchSupport
{
    /// <summary>
    /// An empty folder every server starts in. The bare server's default host builder watches its content root (the
    /// working directory) recursively for appsettings changes, so started inside a clone (thousands of folders) it paid
    /// about 90 ms more than in an empty one; ours reads no files from there. Both sides start here.
    /// </summary>
    public static readonly Lazy<string> NeutralWorkingDirectory = new(() => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "defender-mcp-bench-cwd")).FullName);

    public static CancellationToken Ct => CancellationToken.None;

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DefenderMcp.slnx")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Run the bench from inside the repository.");
        }
    }

    /// <summary>
    /// The server as built by <c>dotnet build -c Release</c> (framework-dependent, like the baseline), or the DLL that
    /// BENCH_SERVER_DLL names (say a ReadyToRun publish kept for several runs).
    /// </summary>
    public static string ServerDll => Environment.GetEnvironmentVariable("BENCH_SERVER_DLL") ?? Built("src/DefenderMcp", "DefenderMcp.dll");

    /// <summary>The bare SDK server, built the same way, or the DLL that BENCH_BARE_DLL names.</summary>
    public static string BareDll => Environment.GetEnvironmentVariable("BENCH_BARE_DLL") ?? Built("bench/BareMcpServer", "BareMcpServer.dll");

    /// <summary>
    /// Publishes <paramref name="project"/> framework-dependent for linux-x64 with ReadyToRun (as the tool package is)
    /// into a new folder and returns the DLL's path.
    /// </summary>
    public static string PublishReadyToRun(string project, string dll, string folder)
    {
        var output = Path.Combine(folder, Path.GetFileNameWithoutExtension(dll));
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "publish", Path.Combine(RepoRoot, project), "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", output })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var log = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish {project} failed: {log.Result}");
        }

        return Path.Combine(output, dll);
    }

    private static string Built(string project, string dll)
    {
        var path = Path.Combine(RepoRoot, project, "bin", "Release", "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build first: dotnet build DefenderMcp.slnx -c Release ({path}).");
    }

    /// <summary>Environment for one tenant of <paramref name="emulator"/>, configured like a deployment.</summary>
    public static Dictionary<string, string?> SingleTenantEnvironment(DefenderEmulator emulator, string key = "contoso")
    {
        var tenant = emulator.GetTenant(key);
        var env = BaseEnvironment(emulator);
        env["AZURE_TENANT_ID"] = tenant.TenantId;
        env["AZURE_CLIENT_ID"] = tenant.App.ClientId;
        env["AZURE_CERT_PATH"] = tenant.App.CertificatePfxPath;
        env["AZURE_CERT_PASSPHRASE"] = tenant.App.CertificatePassphrase;
        return env;
    }

    /// <summary>
    /// Environment with a tenants file (mode 0600) naming every tenant of <paramref name="emulator"/> (or its first
    /// <paramref name="count"/>), each with its app's certificate file, or with its client secret when
    /// <paramref name="secrets"/>.
    /// </summary>
    public static Dictionary<string, string?> TenantsFileEnvironment(DefenderEmulator emulator, string folder, bool secrets = false, int? count = null)
    {
        var env = BaseEnvironment(emulator);
        var tenants = new Dictionary<string, object>();
        var index = 0;
        foreach (var tenant in emulator.Tenants.Take(count ?? emulator.Tenants.Count))
        {
            var secretEnv = "BENCH_PASS_" + index++.ToString(CultureInfo.InvariantCulture);
            env[secretEnv] = secrets ? tenant.App.ClientSecret : tenant.App.CertificatePassphrase;
            tenants[tenant.Key] = secrets
                ? new Dictionary<string, string>
                {
                    ["tenant_id"] = tenant.TenantId,
                    ["client_id"] = tenant.App.ClientId,
                    ["client_secret_env"] = secretEnv,
                }
                : new Dictionary<string, string>
                {
                    ["tenant_id"] = tenant.TenantId,
                    ["client_id"] = tenant.App.ClientId,
                    ["cert_path"] = tenant.App.CertificatePfxPath,
                    ["cert_passphrase_env"] = secretEnv,
                };
        }

        var file = Path.Combine(folder, "tenants.json");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(file, options))
        {
            JsonSerializer.Serialize(stream, new Dictionary<string, object> { ["default"] = emulator.Tenants[0].Key, ["tenants"] = tenants });
        }

        env["MCP_DEFENDER_XDR_TENANTS_FILE"] = file;
        return env;
    }

    /// <summary>Environment for the bare server's direct tool: the emulator and one tenant's client secret.</summary>
    public static Dictionary<string, string?> BareDirectEnvironment(DefenderEmulator emulator, EmulatedTenant tenant)
    {
        var env = BaseEnvironment(emulator);
        env["BARE_BASE_URL"] = emulator.BaseUri.ToString();
        env["BARE_TLS_CERT"] = emulator.CertificatePemPath;
        env["BARE_TENANT_ID"] = tenant.TenantId;
        env["BARE_CLIENT_ID"] = tenant.App.ClientId;
        env["BARE_CLIENT_SECRET"] = tenant.App.ClientSecret;
        return env;
    }

    private static Dictionary<string, string?> BaseEnvironment(DefenderEmulator emulator)
    {
        var env = StdioClientTransportOptions.GetDefaultEnvironmentVariables();
        env["AZURE_AUTHORITY_HOST"] = emulator.BaseUri.ToString();
        env["GRAPH_API_BASE"] = emulator.BaseUri.ToString();
        env["DEFENDER_API_BASE"] = emulator.BaseUri.ToString();
        env["DEFENDER_TLS_TRUST_CERT"] = emulator.CertificatePemPath;
        env["DOTNET_gcServer"] = "0";
        foreach (var name in new[] { "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit", "DOTNET_TieredPGO", "DOTNET_ReadyToRun", "DOTNET_TieredCompilation", "DOTNET_TC_QuickJitForLoops" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                env[name] = value; // passed through on purpose, for before/after runs
            }
        }

        return WithServerSettings(env);
    }

    /// <summary>
    /// <paramref name="env"/> plus BENCH_SERVER_DOTNET_X=v as DOTNET_X=v, for the servers only (not the bench): e.g. an
    /// EventPipe trace of each server (BENCH_SERVER_DOTNET_EnableEventPipe=1, ..._EventPipeOutputPath=/tmp/s-{pid}.nettrace).
    /// </summary>
    public static Dictionary<string, string?> WithServerSettings(Dictionary<string, string?> env)
    {
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && key.StartsWith("BENCH_SERVER_DOTNET_", StringComparison.Ordinal))
            {
                env[key["BENCH_SERVER_".Length..]] = entry.Value as string;
            }
        }

        return env;
    }

    /// <summary>Starts <c>dotnet dll args</c> as an MCP server over stdio and connects (initialize included).</summary>
    public static Task<McpClient> ConnectAsync(string dll, Dictionary<string, string?> env, params string[] args) => McpClient.CreateAsync(
        new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [dll, .. args],
            WorkingDirectory = NeutralWorkingDirectory.Value,
            Name = Path.GetFileNameWithoutExtension(dll),
            InheritEnvironmentVariables = false,
            EnvironmentVariables = env,
            StandardErrorLines = _ => { },
        }),
        new McpClientOptions { ProtocolVersion = "2025-06-18" },
        cancellationToken: Ct);

    /// <summary>Calls a tool and fails the benchmark on a tool error.</summary>
    public static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> args)
    {
        var result = await client.CallToolAsync(tool, args, cancellationToken: Ct).ConfigureAwait(false);
        if (result.IsError == true || result.StructuredContent is not { } content)
        {
            throw new InvalidOperationException($"{tool} failed: {JsonSerializer.Serialize(result.StructuredContent)}");
        }

        return content;
    }

    /// <summary>The id of the newest child process of this one running <paramref name="dllName"/>.</summary>
    public static int ChildPid(string dllName)
    {
        var me = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var dir in Directory.EnumerateDirectories("/proc").Select(d => (Dir: d, Pid: int.TryParse(Path.GetFileName(d), out var p) ? p : 0)).OrderByDescending(d => d.Pid))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir.Dir, "stat"));
                var parent = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
                if (parent == me && File.ReadAllText(Path.Combine(dir.Dir, "cmdline")).Contains(dllName, StringComparison.Ordinal))
                {
                    return dir.Pid;
                }
            }
            catch (IOException)
            {
                // A process that ended while we looked.
            }
        }

        throw new InvalidOperationException($"No child process runs {dllName}.");
    }

    /// <summary>Resident memory (VmRSS) of the newest child process of this one running <paramref name="dllName"/>, in MiB.</summary>
    public static double ChildResidentMiB(string dllName)
    {
        var me = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var dir in Directory.EnumerateDirectories("/proc").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var p) ? p : 0))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
                if (parent == me && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(dllName, StringComparison.Ordinal))
                {
                    var rss = File.ReadLines(Path.Combine(dir, "status")).First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                    return long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
                }
            }
            catch (IOException)
            {
                // A process that ended while we looked.
            }
        }

        throw new InvalidOperationException($"No child process runs {dllName}.");
    }

    public static double Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

    public static double P95(IReadOnlyList<double> values) => Percentile(values, 0.95);

    private static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action().ConfigureAwait(false);
        return watch.Elapsed.TotalMilliseconds;
    }

    public static string Ms(double ms) => ms.ToString("F1", CultureInfo.InvariantCulture) + " ms";

    public static string Ratio(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + "×";

    public static void Header() =>
        Console.WriteLine($"_.NET {Environment.Version}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; spin limit env: {Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") ?? "unset (runtimeconfig)"}_");
}

/// <summary>Calls the emulator directly over HTTPS with the tenant's own app (the baseline for per-call overhead).</summary>
internal sealed class DirectClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly EmulatedTenant _tenant;
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public DirectClient(DefenderEmulator emulator, EmulatedTenant tenant)
    {
        var pinned = emulator.TlsCertificate.RawData;
        _tenant = tenant;
        _http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetRawCertData().AsSpan().SequenceEqual(pinned) } })
        {
            BaseAddress = emulator.BaseUri,
        };
    }

    /// <summary>One client-credentials token request (not cached), returning the token.</summary>
    public async Task<string> RequestTokenAsync(string scope)
    {
        using var response = await _http.PostAsync($"{_tenant.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = _tenant.App.ClientId,
            ["client_secret"] = _tenant.App.ClientSecret,
            ["scope"] = scope,
        }), BenchSupport.Ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(BenchSupport.Ct).ConfigureAwait(false)).GetProperty("access_token").GetString()!;
    }

    /// <summary>Sends a request with a cached token for its API and reads the whole body; returns the body length.</summary>
    public async Task<int> SendAsync(HttpMethod method, string pathAndQuery, string? jsonBody)
    {
        var scope = pathAndQuery.StartsWith("api/", StringComparison.Ordinal) ? "https://api.securitycenter.microsoft.com/.default" : "https://graph.microsoft.com/.default";
        if (!_tokens.TryGetValue(scope, out var token))
        {
            _tokens[scope] = token = await RequestTokenAsync(scope).ConfigureAwait(false);
        }

        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new("Bearer", token);
        using var response = await _http.SendAsync(request, BenchSupport.Ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync(BenchSupport.Ct).ConfigureAwait(false);
        return body.Length;
    }

    public void Dispose() => _http.Dispose();
}
