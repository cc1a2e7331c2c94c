using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator;
using DefenderMcp.Hosting;
using ModelContextProtocol.Client;

namespace DefenderMcp.Bench;

/// <summary>
/// list_alerts through the whole team-server path (MCP client → Streamable HTTP → server process → emulator) against
/// the same call made directly with the Defender client, then many concurrent sessions: median and p95, calls per
/// second, and the server's resident memory per open session. Keep calls + warm-ups under the client's own quota of
/// 150 Graph calls a minute per tenant (default 50).
/// </summary>
internal static partial class HttpTransportBenchmark
{
    private const int Warmups = 10;

    public static async Task RunAsync(int calls, int sessions)
    {
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), CancellationToken.None).ConfigureAwait(false);
        var tenant = DemoEnvironment.SettingsFor(emulator, ActionTier.Read, ConfirmationMode.Elicitation).Tenants[0];

        using var direct = DefenderClient.Create(tenant.Connection);
        var directTimes = await TimeAsync(calls, () => direct.ListAlertsAsync(new AlertFilter(), 10, CancellationToken.None)).ConfigureAwait(false);

        using var server = StartServer(emulator, sessions);
        var url = await WaitForUrlAsync(server).ConfigureAwait(false);
        await using var client = await ConnectAsync(url).ConfigureAwait(false);
        var args = new Dictionary<string, object?> { ["limit"] = 10 };
        var httpTimes = await TimeAsync(calls, () => client.CallToolAsync("list_alerts", args).AsTask()).ConfigureAwait(false);

        var rssBefore = ResidentBytes(server.Id);
        var clients = new List<McpClient>();
        for (var i = 0; i < sessions; i++)
        {
            clients.Add(await ConnectAsync(url).ConfigureAwait(false));
        }

        var rssAfter = ResidentBytes(server.Id);
        var watch = Stopwatch.StartNew();
        // list_saved_hunts answers from the server alone: this phase measures the transport, not the emulator, and stays
        // inside the client's own per-tenant quota (150 Graph calls a minute), which the sequential phases already use.
        await Task.WhenAll(clients.Select(c => c.CallToolAsync("list_saved_hunts", new Dictionary<string, object?>()).AsTask())).ConfigureAwait(false);
        var concurrent = watch.Elapsed;
        foreach (var c in clients)
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }

        Console.WriteLine("| path | calls | median | p95 | calls/s (sequential) |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine(Row("direct: DefenderClient → emulator", directTimes));
        Console.WriteLine(Row("MCP over Streamable HTTP → server → emulator", httpTimes));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Ratio HTTP / direct: median {Percentile(httpTimes, 0.5) / Percentile(directTimes, 0.5):F2}×, p95 {Percentile(httpTimes, 0.95) / Percentile(directTimes, 0.95):F2}×."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sessions} concurrent sessions, one list_saved_hunts each (no upstream call): {concurrent.TotalMilliseconds:F0} ms in all, {sessions / concurrent.TotalSeconds:F0} calls/s; server RSS {rssBefore / 1048576.0:F1} → {rssAfter / 1048576.0:F1} MiB, {(rssAfter - rssBefore) / 1024.0 / sessions:F0} KiB per open session."));
        Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores; {Warmups} warm-up calls per path.");

        server.Kill(entireProcessTree: false);
        await server.WaitForExitAsync().ConfigureAwait(false);
    }

    private static Process StartServer(DefenderEmulator emulator, int sessions)
    {
        var tenant = emulator.Tenants[0];
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { BenchSupport.ServerDll, "serve", "--transport", "http", "--urls", "http://127.0.0.1:0", "--allow-anonymous-loopback" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["AZURE_TENANT_ID"] = tenant.TenantId;
        info.Environment["AZURE_CLIENT_ID"] = tenant.App.ClientId;
        info.Environment["AZURE_CERT_PATH"] = tenant.App.CertificatePfxPath;
        info.Environment["AZURE_CERT_PASSPHRASE"] = tenant.App.CertificatePassphrase;
        info.Environment["DEFENDER_API_BASE"] = emulator.BaseUri.ToString();
        info.Environment["GRAPH_API_BASE"] = emulator.BaseUri.ToString();
        info.Environment["AZURE_AUTHORITY_HOST"] = emulator.BaseUri.ToString();
        info.Environment["DEFENDER_TLS_TRUST_CERT"] = emulator.CertificatePemPath;
        info.Environment["DEFENDER_MCP_HTTP_MAX_SESSIONS_PER_CALLER"] = (sessions + 10).ToString(CultureInfo.InvariantCulture);
        info.Environment["DEFENDER_MCP_HTTP_RATE_LIMIT"] = "1000000";
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "defender-mcp-bench-empty-config");
        return Process.Start(info)!;
    }

    private static async Task<Uri> WaitForUrlAsync(Process server)
    {
        server.OutputDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        while (await server.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
            {
                // Keep draining stderr (the audit trail) so the server never blocks on a full pipe.
                _ = Task.Run(async () => { while (await server.StandardError.ReadLineAsync().ConfigureAwait(false) is not null) { } });
                return new Uri(match.Groups[1].Value);
            }
        }

        throw new InvalidOperationException("the server exited before listening");
    }

    private static Task<McpClient> ConnectAsync(Uri url) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = url, TransportMode = HttpTransportMode.StreamableHttp }));

    private static async Task<List<double>> TimeAsync(int calls, Func<Task> call)
    {
        for (var i = 0; i < Warmups; i++)
        {
            await call().ConfigureAwait(false);
        }

        var times = new List<double>(calls);
        for (var i = 0; i < calls; i++)
        {
            var watch = Stopwatch.StartNew();
            await call().ConfigureAwait(false);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Row(string path, List<double> times) => string.Create(CultureInfo.InvariantCulture,
        $"| {path} | {times.Count} | {Percentile(times, 0.5):F2} ms | {Percentile(times, 0.95):F2} ms | {1000 * times.Count / times.Sum():F0} |");

    private static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    [GeneratedRegex(@"serving MCP over Streamable HTTP at (http\S+/mcp)")]
    private static partial Regex Listening();
}
