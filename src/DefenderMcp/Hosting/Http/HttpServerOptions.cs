using System.Globalization;
using DefenderMcp.Configuration;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Settings of the Streamable HTTP transport, from the command line and <c>DEFENDER_MCP_HTTP_*</c> variables
/// (docs/configuration.md lists them). Kept apart from the tenant configuration: they shape the listener, not Defender.
/// </summary>
public sealed record HttpServerOptions
{
    /// <summary>Where to listen (default <c>http://127.0.0.1:8080</c>).</summary>
    public IReadOnlyList<ListenAddress> Urls { get; init; } = [new(false, "127.0.0.1", 8080)];

    /// <summary>Serve without caller authentication; only allowed when every address is loopback.</summary>
    public bool AllowAnonymousLoopback { get; init; }

    /// <summary>The API keys file (named SHA-256 hashes, mode 0600), or null for none.</summary>
    public string? ApiKeysFile { get; init; }

    /// <summary>A session with no request for this long is closed (default 30 minutes).</summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Open sessions one caller may hold at once (default 10).</summary>
    public int MaxSessionsPerCaller { get; init; } = 10;

    /// <summary>
    /// TCP connections the listener holds at once, every caller together (default 1000); past it Kestrel closes new
    /// connections unanswered, so many sockets (idle, slow or from many keys) cannot exhaust the process.
    /// </summary>
    public long MaxConnections { get; init; } = 1000;

    /// <summary>Browser origins allowed to call (exact <c>scheme://host[:port]</c>); other origins get 403.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>Host header values accepted; empty means loopback names when every address is loopback, else any.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Largest request body in bytes (default 1 MiB); larger gets 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Requests one caller may send per <see cref="RateLimitWindow"/> (default 600).</summary>
    public int RateLimitPermits { get; init; } = 600;

    /// <summary>The rate limit window (default one minute).</summary>
    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>On SIGTERM, how long calls in flight may take to finish (default 30 s).</summary>
    public TimeSpan ShutdownDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a <c>/readyz</c> answer is reused, so probes don't spend token quota (default 30 s).</summary>
    public TimeSpan ReadinessCacheTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A PFX or PEM certificate for <c>https://</c> addresses.</summary>
    public string? TlsCertificateFile { get; init; }

    /// <summary>The PEM private key file when <see cref="TlsCertificateFile"/> is a PEM without its key.</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>The passphrase of the PFX or encrypted PEM key.</summary>
    public string? TlsCertificatePassphrase { get; init; }

    /// <summary>Entra ID caller authentication (<c>DEFENDER_MCP_ENTRA_*</c>), or null when off.</summary>
    public EntraCallerOptions? Entra { get; init; }

    /// <summary>The callers file (<c>DEFENDER_MCP_CALLERS_FILE</c>): per-caller tenants and tiers; null = callers keep the tenant policy.</summary>
    public string? CallersFile { get; init; }

    /// <summary>True when no address can be reached from another machine.</summary>
    public bool IsLoopbackOnly => Urls.All(u => u.IsLoopback);

    /// <summary>Reads the <c>DEFENDER_MCP_HTTP_*</c> variables over the defaults; one problem per bad value.</summary>
    public static HttpServerOptions FromEnvironment(EnvironmentSource environment, ICollection<string> problems)
    {
        var options = new HttpServerOptions();
        if (environment.Get("DEFENDER_MCP_HTTP_URLS") is { } urls)
        {
            options = options with { Urls = ListenAddress.ParseList(urls, problems) };
        }

        return options with
        {
            AllowAnonymousLoopback = Flag(environment, "DEFENDER_MCP_HTTP_ALLOW_ANONYMOUS_LOOPBACK", problems),
            ApiKeysFile = environment.Get("DEFENDER_MCP_API_KEYS_FILE") ?? ApiKeyStore.DefaultPathIfPresent(),
            SessionIdleTimeout = Seconds(environment, "DEFENDER_MCP_HTTP_SESSION_IDLE_SECONDS", 10, 7 * 24 * 3600, options.SessionIdleTimeout, problems),
            MaxSessionsPerCaller = (int)Number(environment, "DEFENDER_MCP_HTTP_MAX_SESSIONS_PER_CALLER", 1, 10_000, options.MaxSessionsPerCaller, problems),
            MaxConnections = Number(environment, "DEFENDER_MCP_HTTP_MAX_CONNECTIONS", 1, 100_000, options.MaxConnections, problems),
            AllowedOrigins = List(environment, "DEFENDER_MCP_HTTP_ALLOWED_ORIGINS").Select(o => o.TrimEnd('/')).ToList(),
            AllowedHosts = List(environment, "DEFENDER_MCP_HTTP_ALLOWED_HOSTS"),
            MaxRequestBodyBytes = Number(environment, "DEFENDER_MCP_HTTP_MAX_BODY_BYTES", 1024, 64L * 1024 * 1024, options.MaxRequestBodyBytes, problems),
            RateLimitPermits = (int)Number(environment, "DEFENDER_MCP_HTTP_RATE_LIMIT", 1, 1_000_000, options.RateLimitPermits, problems),
            RateLimitWindow = Seconds(environment, "DEFENDER_MCP_HTTP_RATE_WINDOW_SECONDS", 1, 3600, options.RateLimitWindow, problems),
            ShutdownDeadline = Seconds(environment, "DEFENDER_MCP_HTTP_SHUTDOWN_SECONDS", 1, 600, options.ShutdownDeadline, problems),
            ReadinessCacheTime = Seconds(environment, "DEFENDER_MCP_HTTP_READY_CACHE_SECONDS", 0, 3600, options.ReadinessCacheTime, problems),
            TlsCertificateFile = environment.Get("DEFENDER_MCP_HTTP_TLS_CERT"),
            TlsKeyFile = environment.Get("DEFENDER_MCP_HTTP_TLS_KEY"),
            TlsCertificatePassphrase = environment.Get("DEFENDER_MCP_HTTP_TLS_CERT_PASSPHRASE"),
            Entra = EntraCallerOptions.FromEnvironment(environment, problems),
            CallersFile = environment.Get(Configuration.CallersFile.Variable),
        };
    }

    /// <summary>The problems that forbid starting: no auth off loopback, https without a certificate, bad files.</summary>
    public IReadOnlyList<string> Validate(bool hasDemoKey)
    {
        var problems = new List<string>();
        var hasAuth = ApiKeysFile is not null || hasDemoKey || Entra is not null;
        if (!hasAuth && !AllowAnonymousLoopback)
        {
            problems.Add("HTTP transport needs caller authentication: create an API key with 'defender-mcp keys add NAME' " +
                "(or set DEFENDER_MCP_API_KEYS_FILE), or, on a loopback address only, pass --allow-anonymous-loopback");
        }

        if (AllowAnonymousLoopback && !IsLoopbackOnly)
        {
            problems.Add("--allow-anonymous-loopback: every --urls address must be loopback (127.0.0.1, [::1] or localhost)");
        }

        // Named both ways: the file may come from --api-keys-file or from the variable.
        if (ApiKeysFile is not null && SecureFile.Check(ApiKeysFile, $"the API keys file {ApiKeysFile} (--api-keys-file or DEFENDER_MCP_API_KEYS_FILE)") is { } keyProblem)
        {
            problems.Add(File.Exists(ApiKeysFile) ? keyProblem : keyProblem + $"; make it with 'defender-mcp keys add NAME --file {ApiKeysFile}'");
        }

        if (Urls.Any(u => u.Https))
        {
            if (TlsCertificateFile is null)
            {
                problems.Add("https:// address without DEFENDER_MCP_HTTP_TLS_CERT (or terminate TLS at a reverse proxy and listen on http://127.0.0.1)");
            }
            else if (SecureFile.Check(TlsKeyFile ?? TlsCertificateFile, TlsKeyFile is null ? "DEFENDER_MCP_HTTP_TLS_CERT" : "DEFENDER_MCP_HTTP_TLS_KEY") is { } tlsProblem)
            {
                problems.Add(tlsProblem);
            }
        }

        return problems;
    }

    private static bool Flag(EnvironmentSource environment, string name, ICollection<string> problems)
    {
        var value = environment.Get(name);
        if (value is null)
        {
            return false;
        }

        if (bool.TryParse(value, out var flag))
        {
            return flag;
        }

        problems.Add($"{name}: expected true or false");
        return false;
    }

    private static long Number(EnvironmentSource environment, string name, long min, long max, long fallback, ICollection<string> problems)
    {
        var value = environment.Get(name);
        if (value is null)
        {
            return fallback;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        problems.Add($"{name}: expected a whole number from {min} to {max}");
        return fallback;
    }

    private static TimeSpan Seconds(EnvironmentSource environment, string name, long min, long max, TimeSpan fallback, ICollection<string> problems) =>
        TimeSpan.FromSeconds(Number(environment, name, min, max, (long)fallback.TotalSeconds, problems));

    private static List<string> List(EnvironmentSource environment, string name) =>
        environment.Get(name) is { } value
            ? [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : [];
}
