using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.ClearProviders();
var server = builder.Services.AddMcpServer().WithStdioServerTransport().WithTools<DirectTool>();

// The floor benchmark's echo tool only when it asks: the start-up baseline keeps the one tool it was defined with.
if (Environment.GetEnvironmentVariable("BARE_MCP_ECHO") == "1")
{
    server.WithTools<EchoTool>();
}

await builder.Build().RunAsync().ConfigureAwait(false);
