namespace DefenderMcp.Configuration;

/// <summary>The validated server configuration.</summary>
public sealed record ServerSettings
{
    /// <summary>Tenants in configuration order.</summary>
    public required IReadOnlyList<TenantSettings> Tenants { get; init; }

    /// <summary>Key of the tenant used when a tool call names none.</summary>
    public required string DefaultTenant { get; init; }

    /// <summary>How many tenants a fan-out reaches at once.</summary>
    public int FanOutConcurrency { get; init; } = 5;

    /// <summary>The fan-out byte budget when none is configured: 1 MiB, about twice a 500-tenant list_alerts of one alert each.</summary>
    public const int DefaultFanOutByteBudget = 1024 * 1024;

    /// <summary>
    /// Bytes of JSON that the tenants' results of one fan-out may take together: past it, whole tenants are left out,
    /// each named with a short error, so that a result stays within what a model and its client can take.
    /// </summary>
    public int FanOutByteBudget { get; init; } = DefaultFanOutByteBudget;

    /// <summary>Byte budget for the rows of one hunting result.</summary>
    public int HuntingByteBudget { get; init; } = 64 * 1024;

    /// <summary>Memory cap of the server-side hunting result cache.</summary>
    public long ResultCacheBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>How long a cached hunting result stays pageable.</summary>
    public TimeSpan ResultCacheTtl { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Folder of saved hunts (<c>.kql</c> files); the bundled starter pack by default.</summary>
    public string HuntsFolder { get; init; } = Areas.SavedHunts.SavedHuntLibrary.BundledFolder;

    /// <summary>Optional folder where scheduled hunt runs are appended as JSONL (mode 0600).</summary>
    public string? HuntResultsFolder { get; init; }

    /// <summary>Folder of the state that survives a restart (scheduled hunts and their runs, action budgets, in SQLite); null keeps it in memory.</summary>
    public string? StateFolder { get; init; }

    /// <summary>How many runs, and bytes of runs, are kept per scheduled hunt.</summary>
    public State.HuntRetention HuntRetention { get; init; } = State.HuntRetention.Default;

    /// <summary>The shortest interval a hunt may be scheduled at.</summary>
    public TimeSpan HuntScheduleMinimum { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The Redis that a cluster of replicas shares its state in; null keeps the state in this process.</summary>
    public RedisSettings? Redis { get; init; }

    /// <summary>How long a confirmation token stays valid.</summary>
    public TimeSpan ConfirmationTokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often get_machine_action polls while waiting.</summary>
    public TimeSpan ActionPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Live response's download and upload folders and caps.</summary>
    public LiveResponseSettings LiveResponse { get; init; } = LiveResponseSettings.Default;

    /// <summary>Optional audit file (JSON lines, mode 0600) in addition to stderr.</summary>
    public string? AuditFilePath { get; init; }

    /// <summary>Size at which the audit file is archived beside itself and a new one continues the chain; null never rotates.</summary>
    public long? AuditMaxFileBytes { get; init; }

    /// <summary>A private folder where confirmation tokens are shared between processes (<c>call --demo</c>); null keeps them in memory.</summary>
    public string? SharedTokenFolder { get; init; }

    /// <summary>Minimum log level for stderr logs.</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Warning;

    /// <summary>Whether a write's comment to Defender names the HTTP caller who asked (<c>DEFENDER_MCP_COMMENT_CALLER</c>).</summary>
    public bool CommentCaller { get; init; } = true;

    /// <summary>Whether an idle session warms the token path against an in-process stub (<c>DEFENDER_MCP_WARMUP</c>).</summary>
    public bool IdleWarmup { get; init; } = true;

    /// <summary>
    /// True in <c>defender-mcp call</c>: one tool call, then the process exits, so nothing it starts in the background
    /// (a scheduled hunt's runs) would run; tools that would start such work only store it, or refuse.
    /// </summary>
    public bool SingleCall { get; init; }

    /// <summary>True when the server runs against the built-in emulator.</summary>
    public bool IsDemo { get; init; }

    /// <summary>What the tenants' clients wait for before their first use (<c>--demo</c>'s emulator, starting beside the host); null: nothing.</summary>
    public UpstreamReadiness? Upstream { get; init; }

    /// <summary>Warnings found while loading (e.g. an inline passphrase); logged and audited at start.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// Which tenants and tiers each HTTP caller may use (the callers file); unrestricted without one. It reads the
    /// policy in force now (<see cref="CallerPolicies"/>), which a reload of the callers file replaces.
    /// </summary>
    public Policy.CallerPolicy Callers
    {
        get => CallerPolicies.Current;
        init => CallerPolicies = new Policy.CallerPolicySource(value);
    }

    /// <summary>
    /// Where the caller policy is kept: copies of these settings (<c>with</c>, <see cref="AsReadOnly"/>) share it, so a
    /// reload reaches every one of them.
    /// </summary>
    public Policy.CallerPolicySource CallerPolicies { get; private init; } = new(Policy.CallerPolicy.Unrestricted);

    /// <summary>The toolsets (areas) to list, from <c>--toolsets</c> or <c>DEFENDER_MCP_TOOLSETS</c>; null lists the default ones.</summary>
    public IReadOnlySet<string>? Toolsets { get; init; }

    /// <summary>Finds a tenant by its exact key.</summary>
    public TenantSettings? FindTenant(string key) =>
        Tenants.FirstOrDefault(t => string.Equals(t.Key, key, StringComparison.Ordinal));

    /// <summary>A copy with every tenant forced to the read tier (<c>--read-only</c>).</summary>
    public ServerSettings AsReadOnly() => this with
    {
        Tenants = [.. Tenants.Select(t => t with { Policy = t.Policy with { Actions = ActionTier.Read } })],
    };
}
