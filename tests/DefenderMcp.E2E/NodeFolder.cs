using System.Diagnostics;

namespace DefenderMcp.E2E;

/// <summary>
/// A folder of npm packages next to the tests (node/ for stdio, node-http/ for HTTP), installed once per package.json
/// and run with a private HOME (the inspector keeps state there) and a bounded wait.
/// </summary>
public sealed class NodeFolder(string name)
{
    private readonly SemaphoreSlim _installGate = new(1, 1);

    /// <summary>The stdio clients: the TypeScript SDK client and the inspector CLI.</summary>
    public static NodeFolder Stdio { get; } = new("node");

    /// <summary>The HTTP clients and the conformance suite.</summary>
    public static NodeFolder Http { get; } = new("node-http");

    public string Folder => Path.Combine(AppContext.BaseDirectory, name);

    public async Task EnsureInstalledAsync(CancellationToken ct)
    {
        await _installGate.WaitAsync(ct);
        try
        {
            // The marker holds package.json's text, so a changed dependency list installs again.
            var marker = Path.Combine(Folder, "node_modules", ".installed");
            var manifest = await File.ReadAllTextAsync(Path.Combine(Folder, "package.json"), ct);
            if (File.Exists(marker) && await File.ReadAllTextAsync(marker, ct) == manifest)
            {
                return;
            }

            var (code, _, err) = await RunProcessAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(5), ct);
            Assert.True(code == 0, "npm install failed: " + err);
            await File.WriteAllTextAsync(marker, manifest, ct);
        }
        finally
        {
            _installGate.Release();
        }
    }

    /// <summary>Runs <c>node</c> with <paramref name="args"/> in the folder.</summary>
    public Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args, CancellationToken ct) =>
        RunProcessAsync("node", args, TimeSpan.FromMinutes(3), ct);

    public Task<(int Code, string Stdout, string Stderr)> RunProcessAsync(string file, string[] args, TimeSpan limit, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = Folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["HOME"] = Path.Combine(Folder, ".home");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return ServerProcess.RunAsync(info, ct, limit);
    }
}
