using System.Text;
using DefenderMcp.Configuration;
using DefenderMcp.Hosting;
using DefenderMcp.Tests.Support;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Audit;

/// <summary>An audit sink that fails must not replace a tool's result with the SDK's generic error.</summary>
public sealed class AuditFailureTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task A_failing_audit_writer_still_returns_the_tool_result()
    {
        var settings = DemoEnvironment.SettingsFor(fixture.Emulator, ActionTier.Read, ConfirmationMode.Elicitation);
        var audit = new FailingWriter();
        await using var connection = await InMemoryServerConnection.StartAsync(settings, audit, null, null, TestContext.Current.CancellationToken);
        audit.Fail = true;

        var result = await connection.Client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["limit"] = 1 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.IsError != true, Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.True(audit.Attempts > 0);
    }

    private sealed class FailingWriter : TextWriter
    {
        public bool Fail { get; set; }

        public int Attempts { get; private set; }

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Check();

        public override void Write(string? value) => Check();

        public override void WriteLine(string? value) => Check();

        private void Check()
        {
            if (Fail)
            {
                Attempts++;
                throw new InvalidOperationException("audit sink is broken");
            }
        }
    }
}
