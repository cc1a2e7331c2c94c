using System.Text;
using DefenderMcp.Hosting.Http;

namespace DefenderMcp.Tests.Http;

public sealed class InitializeProbeTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}""")]
    [InlineData("""{"params":{"method":"x"},"jsonrpc":"2.0","id":1,"method":"initialize"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","method":"initialize"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"\u006dethod":"\u0069nitialize"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"initialize",}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list""")]
    public void A_body_that_is_or_may_be_an_initialize_may_open_a_session(string body) =>
        Assert.True(InitializeProbe.MayOpenSession(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"method":"initialize"}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"Initialize"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":["initialize"]}""")]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"initialize"}]""")]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/initialized"}""")]
    [InlineData("")]
    public void A_body_that_is_plainly_not_an_initialize_opens_none(string body) =>
        Assert.False(InitializeProbe.MayOpenSession(Encoding.UTF8.GetBytes(body)));
}
