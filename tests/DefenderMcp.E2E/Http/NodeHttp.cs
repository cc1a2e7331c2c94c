using System.Diagnostics;

namespace DefenderMcp.E2E.Http;

/// <summary>The npm packages of the HTTP tests (node-http/), installed once into the test output folder.</summary>
public static class NodeHttp
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "node-http");

    public static async Task EnsureInstalledAsync(CancellationToken ct)
    {
        await InstallGate.WaitAsync(ct);
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
            InstallGate.Release();
        }
    }

    /// <summary>Runs <c>node</c> with <paramref name="args"/> in the folder.</summary>
    public static Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args, CancellationToken ct) =>
        RunProcessAsync("node", args, TimeSpan.FromMinutes(3), ct);

    public static async Task<(int Code, string Stdout, string Stderr)> RunProcessAsync(string file, string[] args, TimeSpan limit, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["HOME"] = Path.Combine(Folder, ".home");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
