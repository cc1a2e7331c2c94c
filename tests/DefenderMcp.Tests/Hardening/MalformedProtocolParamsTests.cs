using System.Text.Json;
using DefenderMcp.Hosting;
using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Hardening;

/// <summary>
/// A request whose params the SDK cannot read is the caller's mistake: invalid params (-32602) naming what is wrong,
/// not an internal error (-32603) with a stack trace in the log, and not an unknown resource for a missing uri.
/// </summary>
public sealed class MalformedProtocolParamsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("completion/complete", "{}", "ref")]
    [InlineData("completion/complete", """{"ref":{"type":"ref/prompt","name":"hunt_technique"}}""", "argument")]
    [InlineData("logging/setLevel", """{"level":"bogus"}""", "level")]
    [InlineData("logging/setLevel", "{}", "level")]
    [InlineData("resources/read", "{}", "uri")]
    [InlineData("resources/read", "null", "uri")]
    public async Task Unreadable_params_are_invalid_params_naming_the_field(string method, string parameters, string field)
    {
        var settings = DemoEnvironment.SettingsFor(fixture.Emulator, ActionTier.Read, ConfirmationMode.Elicitation);
        await using var raw = await RawServerConnection.StartAsync(settings, Ct);

        var answer = await raw.RequestAsync(method, parameters, Ct);

        var error = answer.GetProperty("error");
        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Contains($"'{field}'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Undefined, answer.TryGetProperty("result", out var result) ? result.ValueKind : JsonValueKind.Undefined);
    }
}
