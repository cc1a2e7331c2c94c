using Microsoft.Extensions.Logging;

namespace DefenderMcp.Configuration;

/// <summary>
/// Loads and validates the whole configuration before anything is served: the single tenant of the environment or
/// the tenants file (both read by one <see cref="TenantReader"/>), and the server limits. Every problem is collected,
/// so the user sees them all at once.
/// </summary>
public sealed class ConfigurationLoader(EnvironmentSource env)
{
    /// <summary>The key given to the tenant configured by env vars alone.</summary>
    public const string SingleTenantKey = "default";

    /// <summary>Validates everything and returns the settings; throws <see cref="ConfigurationException"/> listing every problem.</summary>
    public ServerSettings Load()
    {
        var problems = new List<string>();
        var warnings = new List<string>();

        var (tenants, defaultKey) = ReadTenants(problems, warnings);
        var fanOut = PolicyReader.ParseInt(env.Get(EnvironmentVariables.FanOutConcurrency), EnvironmentVariables.FanOutConcurrency, 1, 64, problems);
        var budget = PolicyReader.ParseInt(env.Get(EnvironmentVariables.HuntingByteBudget), EnvironmentVariables.HuntingByteBudget, 4096, 1024 * 1024, problems);
        var fanOutBudget = PolicyReader.ParseInt(env.Get(EnvironmentVariables.FanOutByteBudget), EnvironmentVariables.FanOutByteBudget, 64 * 1024, 64 * 1024 * 1024, problems);
        var cacheMb = PolicyReader.ParseInt(env.Get(EnvironmentVariables.ResultCacheMegabytes), EnvironmentVariables.ResultCacheMegabytes, 1, 16 * 1024, problems);
        var auditMaxMb = PolicyReader.ParseInt(env.Get(EnvironmentVariables.AuditMaxMegabytes), EnvironmentVariables.AuditMaxMegabytes, 1, 1024 * 1024, problems);
        if (auditMaxMb is not null && env.Get(EnvironmentVariables.AuditFile) is null)
        {
            warnings.Add($"{EnvironmentVariables.AuditMaxMegabytes}: set without {EnvironmentVariables.AuditFile}, so there is no audit file to rotate");
        }

        var logLevel = ParseLogLevel(env.Get(EnvironmentVariables.LogLevel), problems);
        var auditFile = env.Get(EnvironmentVariables.AuditFile);
        if (auditFile is not null && AuditFileSetting.Check(auditFile) is { } auditProblem)
        {
            problems.Add(auditProblem);
        }

        var huntsFolder = ExistingFolder(EnvironmentVariables.HuntsFolder, FolderAccess.Needs.Read, problems);
        var huntResults = ExistingFolder(EnvironmentVariables.HuntResultsFolder, FolderAccess.Needs.Write, problems);

        var (stateFolder, retention) = ReadState(problems);
        var timeouts = CallTimeouts.Read(env.Get, problems);
        var liveResponse = LiveResponseSettings.Read(env.Get, problems);
        var redis = RedisSettings.Read(env.Get, problems);
        var minimumInterval = PolicyReader.ParseInt(env.Get(EnvironmentVariables.HuntMinimumIntervalSeconds), EnvironmentVariables.HuntMinimumIntervalSeconds, 1, 300, problems);
        var warmup = ReadSwitch(EnvironmentVariables.Warmup, problems);
        var commentCaller = ReadSwitch(EnvironmentVariables.CommentCaller, problems);
        if (problems.Count > 0)
        {
            // A server-wide value shared by several tenants (say AZURE_FEDERATED_TOKEN_FILE) is reported once.
            throw new ConfigurationException([.. problems.Distinct(StringComparer.Ordinal)]);
        }

        return timeouts.ApplyTo(new ServerSettings
        {
            Tenants = tenants,
            DefaultTenant = defaultKey!,
            FanOutConcurrency = fanOut ?? 5,
            HuntingByteBudget = budget ?? 64 * 1024,
            FanOutByteBudget = fanOutBudget ?? ServerSettings.DefaultFanOutByteBudget,
            ResultCacheBytes = (cacheMb ?? 256) * 1024L * 1024,
            AuditFilePath = auditFile,
            AuditMaxFileBytes = auditMaxMb * 1024L * 1024,
            HuntsFolder = huntsFolder ?? Areas.SavedHunts.SavedHuntLibrary.BundledFolder,
            HuntResultsFolder = huntResults,
            StateFolder = stateFolder,
            HuntRetention = retention,
            HuntScheduleMinimum = TimeSpan.FromSeconds(minimumInterval ?? 300),
            Redis = redis,
            LiveResponse = liveResponse,
            LogLevel = logLevel,
            IdleWarmup = warmup,
            CommentCaller = commentCaller,
            Warnings = warnings,
        });
    }

    // A setting that is on unless turned off.
    private bool ReadSwitch(string name, List<string> problems)
    {
        switch (env.Get(name)?.ToLowerInvariant())
        {
            case null or "on" or "true" or "1": return true;
            case "off" or "false" or "0": return false;
            default:
                problems.Add($"{name}: must be on or off");
                return true;
        }
    }

    // The state folder may not exist yet (the server creates it, mode 0700), but its parent must. Either way this user
    // must be able to write there: a folder it cannot use stops the start here, not the first schedule or budget later.
    private (string? Folder, State.HuntRetention Retention) ReadState(List<string> problems)
    {
        var folder = env.Get(EnvironmentVariables.StateFolder);
        if (folder is not null && StateFolderProblem(folder) is { } problem)
        {
            problems.Add(problem);
        }

        var runs = PolicyReader.ParseInt(env.Get(EnvironmentVariables.HuntRunsKept), EnvironmentVariables.HuntRunsKept, 1, 1000, problems);
        var bytes = PolicyReader.ParseInt(env.Get(EnvironmentVariables.HuntBytesKept), EnvironmentVariables.HuntBytesKept, 64 * 1024, 64 * 1024 * 1024, problems);
        return (folder, new State.HuntRetention(runs ?? State.HuntRetention.Default.RunsPerHunt, bytes ?? State.HuntRetention.Default.BytesPerHunt));
    }

    private static string? StateFolderProblem(string folder)
    {
        const string Setting = EnvironmentVariables.StateFolder;
        if (SecureFile.InClosedFolder(folder))
        {
            return SecureFile.NotFound(folder, Setting, "folder");
        }

        if (Directory.Exists(folder))
        {
            return FolderAccess.Check(folder, Setting, FolderAccess.Needs.Read | FolderAccess.Needs.Write);
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar));
        if (File.Exists(folder) || parent is null || !Directory.Exists(parent))
        {
            return $"{Setting}: must be a folder, or a new one in an existing folder";
        }

        return FolderAccess.CanCreateIn(parent)
            ? null
            : $"{Setting}: this user ({Environment.UserName}) cannot create the folder in {parent}; make it, owned by the user the server runs as";
    }

    private (IReadOnlyList<TenantSettings> Tenants, string? DefaultKey) ReadTenants(List<string> problems, List<string> warnings)
    {
        var trust = env.Get(EnvironmentVariables.TlsTrustCert);
        if (trust is not null && TrustedCertificateFile.Check(trust, EnvironmentVariables.TlsTrustCert) is { } trustProblem)
        {
            problems.Add(trustProblem);
        }

        var environment = new EnvTenantValues(env, problems);
        var tenantsFile = env.Get(EnvironmentVariables.TenantsFile);
        if (tenantsFile is null)
        {
            var single = new TenantReader(EndpointSettings.None, trust, problems, warnings).Read(SingleTenantKey, environment);
            return single is null ? ([], null) : ([single], SingleTenantKey);
        }

        // With a tenants file, the environment's cloud, region and overrides are every tenant's defaults.
        var reader = new TenantReader(EndpointSettings.Read(environment, EndpointSettings.None, problems), trust, problems, warnings);
        return TenantsFile.Read(
            tenantsFile,
            (key, json) => reader.Read(key, new JsonTenantValues(key, json, env, problems, warnings)),
            problems);
    }

    private string? ExistingFolder(string variable, FolderAccess.Needs needs, List<string> problems)
    {
        var folder = env.Get(variable);
        if (folder is not null && FolderAccess.Check(folder, variable, needs) is { } problem)
        {
            problems.Add(problem);
        }

        return folder;
    }

    private static LogLevel ParseLogLevel(string? value, List<string> problems)
    {
        if (value is null)
        {
            return LogLevel.Warning;
        }

        if (Enum.TryParse<LogLevel>(value, ignoreCase: true, out var level) && !int.TryParse(value, out _))
        {
            return level;
        }

        // mcp-defender-xdr took Python's level names (its default is INFO): its users' settings keep working here.
        switch (value.ToUpperInvariant())
        {
            case "INFO":
                return LogLevel.Information;
            case "WARN":
                return LogLevel.Warning;
            case "FATAL":
                return LogLevel.Critical;
            case "NOTSET":
                return LogLevel.Trace;
        }

        problems.Add($"{EnvironmentVariables.LogLevel}: must be Trace, Debug, Information, Warning, Error, Critical or None (or Python's DEBUG, INFO, WARNING, ERROR, CRITICAL)");
        return LogLevel.Warning;
    }
}
