using System.Diagnostics;
using ModelContextProtocol.Client;

namespace DefenderMcp.E2E;

/// <summary>Locates the built DefenderMcp.dll (copied next to the tests by the project reference).</summary>
public static class ServerProcess
{
    public static string DllPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "DefenderMcp.dll");
            Assert.True(File.Exists(path), $"DefenderMcp.dll not found at {path}");
            return path;
        }
    }

    /// <summary>
    /// An SDK client over stdio to a server started with exactly <paramref name="environment"/> (nothing inherited),
    /// the handshake pinned so that a loaded machine's protocol probe cannot fail the session.
    /// </summary>
    public static Task<McpClient> ConnectAsync(string name, Dictionary<string, string?> environment, CancellationToken ct) => McpClient.CreateAsync(
        new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [DllPath],
            Name = name,
            InheritEnvironmentVariables = false,
            EnvironmentVariables = environment,
        }),
        new McpClientOptions { ProtocolVersion = "2025-06-18" },
        cancellationToken: ct);

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A clean environment for configuration: nothing leaks in from the developer's shell.
        foreach (var name in new[] { "MCP_DEFENDER_XDR_TENANTS_FILE", "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CERT_PATH" })
        {
            info.Environment.Remove(name);
        }

        return info;
    }

    /// <summary>
    /// Starts <paramref name="info"/> with stdin closed and returns its exit code and both outputs; past
    /// <paramref name="limit"/> (90 s unless given) the process tree is killed and the wait fails.
    /// </summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(ProcessStartInfo info, CancellationToken ct, TimeSpan? limit = null)
    {
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit ?? TimeSpan.FromSeconds(90));
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
