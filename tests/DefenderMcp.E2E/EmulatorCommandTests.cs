using System.Diagnostics;
using System.Text.Json;
using DefenderMcp.Client.Http;

namespace DefenderMcp.E2E;

/// <summary><c>defender-mcp emulator --tenants N --json</c> as a script uses it: one JSON line, N tenants, HTTPS that answers, a clean stop on SIGTERM or SIGINT.</summary>
public sealed class EmulatorCommandTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task The_emulator_serves_n_tenants_prints_one_json_line_and_stops_cleanly_on_a_signal(string signal)
    {
        var ct = TestContext.Current.CancellationToken;
        using var process = Process.Start(ServerProcess.StartInfo("emulator", "--tenants", "5", "--json"))!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(120), ct);
            using var json = JsonDocument.Parse(line!);
            var root = json.RootElement;
            Assert.Equal(["contoso", "fabrikam", "tenant3", "tenant4", "tenant5"], root.GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("key").GetString()));
            Assert.DoesNotContain("secret", line!, StringComparison.OrdinalIgnoreCase);

            using var handler = TlsTrust.CreateHandler(root.GetProperty("certificate_pem").GetString());
            using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
            using var answer = await http.GetAsync(new Uri(new Uri(root.GetProperty("base_url").GetString()!), "api/machines"), ct);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, answer.StatusCode);

            // kill's own streams are redirected: the test process's are xunit's channel to its runner.
            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true })!)
            {
                await kill.WaitForExitAsync(ct);
            }

            await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    public async Task A_tenant_count_out_of_range_is_exit_2_naming_the_option(string count)
    {
        var ct = TestContext.Current.CancellationToken;
        using var process = Process.Start(ServerProcess.StartInfo("emulator", "--tenants", count))!;
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--tenants must be 1 to 500", await error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_exit_2_with_the_fix_not_a_stack_trace()
    {
        var ct = TestContext.Current.CancellationToken;
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (code, stdout, stderr) = await ServerProcess.RunAsync(ServerProcess.StartInfo("emulator", "--port", port), ct, TimeSpan.FromSeconds(60));

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains($"port {port} is in use by another process; choose another --port, or --port 0 for a free one", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_folder_that_is_a_file_or_a_pem_path_in_no_folder_is_exit_2_naming_the_options()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.GetTempFileName();
        try
        {
            var dataDir = await ServerProcess.RunAsync(ServerProcess.StartInfo("emulator", "--port", "0", "--data-dir", file), ct, TimeSpan.FromSeconds(60));
            var certPem = await ServerProcess.RunAsync(ServerProcess.StartInfo("emulator", "--port", "0", "--cert-pem", Path.Combine(file + ".missing", "tls.pem")), ct, TimeSpan.FromSeconds(60));

            foreach (var (code, stdout, stderr) in new[] { dataDir, certPem })
            {
                Assert.Equal(2, code);
                Assert.Equal(string.Empty, stdout);
                Assert.Contains("Check --data-dir and --cert-pem", stderr, StringComparison.Ordinal);
                Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }
}
