using DefenderMcp.Cli;
using DefenderMcp.Emulator;
using DefenderMcp.Hosting;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Demo;

// `call --demo` runs under the same watch of the emulator as `serve --demo`: a failed start is reported as that.
public sealed class DemoCallTests
{
    [Fact]
    public async Task When_the_emulator_cannot_start_call_reports_it_on_stderr_with_exit_code_1_and_prints_no_result()
    {
        var ct = TestContext.Current.CancellationToken;
        var missing = Path.Combine(Path.GetTempPath(), "defender-mcp-missing-" + Guid.NewGuid().ToString("N"), "tls.pem");
        var demo = DemoEnvironment.Start(new EmulatorOptions { CertificatePemPath = missing });
        var output = new SynchronizedWriter();
        var error = new SynchronizedWriter();
        await using var session = ServerSession.ForDemo(demo, error);

        var code = await CallCommand.RunAsync(session, "list_incidents", [], output, error, ct).WaitAsync(TimeSpan.FromSeconds(90), ct);

        Assert.Equal(1, code);
        Assert.Equal(string.Empty, output.ToString());
        Assert.Contains("defender-mcp: the demo emulator could not start (DirectoryNotFoundException", error.ToString(), StringComparison.Ordinal);
    }
}
