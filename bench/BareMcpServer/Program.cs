using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddMcpServer().WithStdioServerTransport().WithTools<EchoTool>();
await builder.Build().RunAsync().ConfigureAwait(false);

[McpServerToolType]
internal sealed class EchoTool
{
    [McpServerTool(Name = "echo")]
    [Description("Echoes its text.")]
    public static string Echo([Description("Text to echo.")] string text) => text;
}
