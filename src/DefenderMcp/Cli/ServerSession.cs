using DefenderMcp.Configuration;
using DefenderMcp.Hosting;

namespace DefenderMcp.Cli;

/// <summary>Builds the configuration a command runs with: demo, or validated env/tenants file. Exit code 2 on a bad config.</summary>
public sealed class ServerSession : IAsyncDisposable
{
    private readonly DemoEnvironment? _demo;
    private readonly Task<IReadOnlyList<string>>? _credentialCheck;
    private readonly TextWriter _error;

    private ServerSession(ServerSettings settings, DemoEnvironment? demo, IReadOnlyList<string> notes, Task<IReadOnlyList<string>>? credentialCheck = null, TextWriter? error = null)
    {
        Settings = settings;
        _demo = demo;
        _error = error ?? Console.Error;
        Notes = notes;
        _credentialCheck = credentialCheck;
    }

    /// <summary>The validated settings.</summary>
    public ServerSettings Settings { get; }

    /// <summary>Notes for the start-up audit line.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>A session over a demo environment started by the caller (tests: an emulator with chosen options, and where its reports go).</summary>
    internal static ServerSession ForDemo(DemoEnvironment demo, TextWriter? error = null) => new(demo.Settings, demo, [], error: error);

    /// <summary>Creates the session, or prints every configuration problem to stderr and returns null.</summary>
    /// <param name="demo">Run against the built-in emulator.</param>
    /// <param name="readOnly">Force the read tier.</param>
    /// <param name="cancellationToken">Stops the checks.</param>
    /// <param name="toolsets">The --toolsets value, if given.</param>
    /// <param name="deferCredentialChecks">
    /// Open the certificate files (and check Key Vault) on another thread while the caller builds its host, instead of
    /// before returning: opening a PFX is key-derivation work a start need not wait for. The caller must then call
    /// <see cref="CredentialsUsableAsync"/> before it serves anything, which reports the same problems with exit code 2.
    /// </param>
    public static async Task<ServerSession?> CreateAsync(bool demo, bool readOnly, CancellationToken cancellationToken, string? toolsets = null, bool deferCredentialChecks = false)
    {
        Task<IReadOnlyList<string>>? credentialCheck = null;
        ServerSettings settings;

        // Parsed first so that a wrong toolset name is reported with the other configuration problems, not after them.
        var toolsetProblems = new List<string>();
        var (toolsetValue, toolsetSource) = toolsets is not null
            ? (toolsets, "--toolsets")
            : (EnvironmentSource.FromProcess(Directory.GetCurrentDirectory(), toolsetProblems).Get(ToolsetSelection.Variable), ToolsetSelection.Variable);
        var toolsetSelection = ToolsetSelection.Parse(toolsetValue, Mcp.ToolCatalog.ToolsetNames, toolsetSource, toolsetProblems);
        DemoEnvironment? environment = null;
        var notes = new List<string>();
        if (demo)
        {
            var problems = new List<string>();
            // Checked before the emulator starts, so a bad value fails fast.
            _ = DemoSettings.Apply(new ServerSettings { Tenants = [], DefaultTenant = string.Empty }, Environment.GetEnvironmentVariable, problems);
            if (problems.Count > 0 || toolsetProblems.Count > 0)
            {
                await ReportAsync([.. problems, .. toolsetProblems], demo).ConfigureAwait(false);
                return null;
            }

            // The emulator starts beside the server's host; its tenants' clients wait for it before their first use.
            environment = DemoEnvironment.Start(null);
            await Console.Error.WriteLineAsync(environment.Banner).ConfigureAwait(false);
            settings = DemoSettings.Apply(environment.Settings, Environment.GetEnvironmentVariable, problems);
            settings = DemoDownloads.WithDefaultFolder(settings, DemoDownloads.UserFolder, notes);
            notes.Add("demo=true");
        }
        else
        {
            var problems = new List<string>();
            try
            {
                var source = EnvironmentSource.FromProcess(Directory.GetCurrentDirectory(), problems);
                if (problems.Count > 0)
                {
                    throw new ConfigurationException(problems);
                }

                settings = new ConfigurationLoader(source).Load();
                var loaded = settings;
                credentialCheck = deferCredentialChecks
                    ? Task.Run(() => CheckCredentialsAsync(loaded, cancellationToken), CancellationToken.None)
                    : null;
                if (credentialCheck is null && await CheckCredentialsAsync(settings, cancellationToken).ConfigureAwait(false) is { Count: > 0 } credentialProblems)
                {
                    throw new ConfigurationException(credentialProblems);
                }
            }
            catch (ConfigurationException ex)
            {
                await ReportAsync([.. ex.Problems.Concat(toolsetProblems).Distinct(StringComparer.Ordinal)], demo).ConfigureAwait(false);
                return null;
            }
        }

        if (readOnly)
        {
            settings = settings.AsReadOnly();
            notes.Add("read_only=true");
        }

        settings = settings with { Toolsets = toolsetSelection };
        if (toolsetProblems.Count > 0)
        {
            await ReportAsync(toolsetProblems, demo).ConfigureAwait(false);
            if (environment is not null)
            {
                await environment.DisposeAsync().ConfigureAwait(false);
            }

            if (credentialCheck is not null)
            {
                await credentialCheck.ConfigureAwait(false);
            }

            return null;
        }

        if (settings.Toolsets is { } named)
        {
            notes.Add("toolsets=" + string.Join(",", Mcp.ToolCatalog.ToolsetNames.Where(named.Contains)));
        }

        return new ServerSession(settings, environment, notes, credentialCheck);
    }

    /// <summary>
    /// True once the credential checks a deferred session started have passed (at once when none were deferred);
    /// otherwise reports their problems on stderr, as a bad configuration, and returns false: exit with code 2.
    /// </summary>
    public async Task<bool> CredentialsUsableAsync()
    {
        if (_credentialCheck is null || await _credentialCheck.ConfigureAwait(false) is not { Count: > 0 } problems)
        {
            return true;
        }

        await ReportAsync(problems, demo: false).ConfigureAwait(false);
        return false;
    }

    // Every certificate file opens and is valid now, and each Key Vault certificate can be read: one line per problem.
    private static async Task<IReadOnlyList<string>> CheckCredentialsAsync(ServerSettings settings, CancellationToken cancellationToken)
    {
        if (CertificateStartup.Check(settings, TimeProvider.System) is { Count: > 0 } certificateProblems)
        {
            return certificateProblems;
        }

        return await KeyVaultStartup.CheckAsync(settings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a command's work with the session. In demo mode the emulator is still starting beside it: if the emulator
    /// cannot start, or does not within <see cref="DemoEnvironment.StartBound"/>, the work is stopped through its
    /// token, the reason goes to stderr and the exit code is 1.
    /// </summary>
    public Task<int> RunAsync(Func<CancellationToken, Task<int>> work, CancellationToken cancellationToken) =>
        RunAsync(work, code => code, cancellationToken);

    /// <summary>
    /// <see cref="RunAsync(Func{CancellationToken, Task{int}}, CancellationToken)"/> for work whose result is shown
    /// afterwards (<c>call</c> prints its tool result): <paramref name="finish"/> shows it and gives the exit code, and
    /// is skipped when the demo emulator failed, so a failed start reads as that, not as the work's own error.
    /// </summary>
    public async Task<int> RunAsync<TResult>(Func<CancellationToken, Task<TResult>> work, Func<TResult, int> finish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(finish);
        if (_demo is null)
        {
            return finish(await work(cancellationToken).ConfigureAwait(false));
        }

        using var stopWork = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopWatching = new CancellationTokenSource();
        var failed = WatchEmulatorAsync(_demo, _error, stopWork, stopWatching.Token);
        var result = default(TResult);
        var completed = false;
        try
        {
            result = await work(stopWork.Token).ConfigureAwait(false);
            completed = true;
        }
        catch (OperationCanceledException) when (stopWork.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Only the watch stops the work this way, and it reports why.
        }
        finally
        {
            await stopWatching.CancelAsync().ConfigureAwait(false);
        }

        if (await failed.ConfigureAwait(false))
        {
            return 1;
        }

        return completed ? finish(result!) : throw new OperationCanceledException(stopWork.Token);
    }

    // True (after reporting it and stopping the work) when the emulator did not start; false once it serves, or when
    // the work ended first and the start had not failed by then (work that ended because of the failure still counts).
    private static async Task<bool> WatchEmulatorAsync(DemoEnvironment demo, TextWriter error, CancellationTokenSource stopWork, CancellationToken stopWatching)
    {
        Exception failure;
        try
        {
            await demo.WaitUntilRunningAsync(stopWatching).ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException) when (stopWatching.IsCancellationRequested)
        {
            if (demo.StartFailure is not { } known)
            {
                return false;
            }

            failure = known;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failure = ex;
        }

        var reason = failure is TimeoutException ? $"it did not start within {DemoEnvironment.StartBound.TotalSeconds:0} s" : $"{failure.GetType().Name}: {failure.Message}";
        await error.WriteLineAsync($"defender-mcp: the demo emulator could not start ({reason}); stopping.").ConfigureAwait(false);
        await stopWork.CancelAsync().ConfigureAwait(false);
        return true;
    }

    // In demo mode the fix is the named variable: suggesting --demo there would send the user in a circle.
    private static async Task ReportAsync(IEnumerable<string> problems, bool demo)
    {
        await Console.Error.WriteLineAsync("defender-mcp: invalid configuration:").ConfigureAwait(false);
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync("  - " + problem).ConfigureAwait(false);
        }

        await Console.Error.WriteLineAsync(demo ? "See docs/configuration.md." : "See docs/configuration.md, or try --demo.").ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_demo is not null)
        {
            await _demo.DisposeAsync().ConfigureAwait(false);
        }
    }
}
