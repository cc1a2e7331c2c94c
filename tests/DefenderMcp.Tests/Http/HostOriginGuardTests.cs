using DefenderMcp.Hosting.Http;
using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Tests.Http;

/// <summary>DNS rebinding and cross-site requests are refused before authentication; legitimate hosts and origins pass.</summary>
public sealed class HostOriginGuardTests
{
    private static readonly HttpServerOptions LoopbackOnly = new();

    private static readonly HttpServerOptions Public = new() { Urls = [new(false, "0.0.0.0", 8080)] };

    [Theory]
    [InlineData("127.0.0.1:8080", true)]
    [InlineData("localhost:8080", true)]
    [InlineData("[::1]:8080", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("attacker.example:8080", false)]
    [InlineData("127.0.0.1.attacker.example", false)]
    [InlineData("10.0.0.5:8080", false)]
    public void A_loopback_server_answers_only_to_loopback_names(string host, bool allowed) =>
        Assert.Equal(allowed, new HostOriginGuard(LoopbackOnly).HostAllowed(new HostString(host)));

    [Fact]
    public void A_missing_host_header_is_refused_everywhere()
    {
        Assert.False(new HostOriginGuard(LoopbackOnly).HostAllowed(default));
        Assert.False(new HostOriginGuard(Public).HostAllowed(default));
    }

    [Theory]
    [InlineData("mcp.contoso.com", true)]
    [InlineData("mcp.contoso.com:8443", true)]
    [InlineData("MCP.CONTOSO.COM", true)]
    [InlineData("evil.contoso.com", false)]
    [InlineData("localhost", false)]
    public void Configured_hosts_are_the_only_ones_served(string host, bool allowed) =>
        Assert.Equal(allowed, new HostOriginGuard(Public with { AllowedHosts = ["mcp.contoso.com"] }).HostAllowed(new HostString(host)));

    [Fact]
    public void A_public_server_without_a_host_list_answers_any_host_since_callers_must_authenticate() =>
        Assert.True(new HostOriginGuard(Public).HostAllowed(new HostString("anything.example")));

    [Theory]
    [InlineData(null, 200)]
    [InlineData("http://127.0.0.1:8080", 200)]
    [InlineData("https://127.0.0.1:8080/", 200)]
    [InlineData("http://127.0.0.1:9999", 403)]
    [InlineData("https://claude.ai", 403)]
    [InlineData("null", 403)]
    [InlineData("file://127.0.0.1:8080", 403)]
    [InlineData("https://app.contoso.com", 200)]
    public async Task Browser_origins_must_be_the_same_origin_or_allowed(string? origin, int status)
    {
        var guard = new HostOriginGuard(LoopbackOnly with { AllowedOrigins = ["https://app.contoso.com"] });
        var (answered, reached) = await InvokeAsync(guard, "127.0.0.1:8080", origin);

        Assert.Equal(status, answered);
        Assert.Equal(status == 200, reached);
    }

    [Fact]
    public async Task A_rebound_host_gets_403_with_a_json_rpc_error_and_never_reaches_the_server()
    {
        var (status, reached, body) = await InvokeWithBodyAsync(new HostOriginGuard(LoopbackOnly), "rebind.attacker.example:8080", null);

        Assert.Equal(403, status);
        Assert.False(reached);
        Assert.Contains("\"jsonrpc\"", body, StringComparison.Ordinal);
        Assert.Contains("does not answer to that Host", body, StringComparison.Ordinal);
    }

    private static async Task<(int Status, bool Reached)> InvokeAsync(HostOriginGuard guard, string host, string? origin)
    {
        var (status, reached, _) = await InvokeWithBodyAsync(guard, host, origin);
        return (status, reached);
    }

    private static async Task<(int Status, bool Reached, string Body)> InvokeWithBodyAsync(HostOriginGuard guard, string host, string? origin)
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(host);
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        using var body = new MemoryStream();
        context.Response.Body = body;
        var reached = false;
        await guard.InvokeAsync(context, _ =>
        {
            reached = true;
            return Task.CompletedTask;
        });
        return (context.Response.StatusCode, reached, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }
}
