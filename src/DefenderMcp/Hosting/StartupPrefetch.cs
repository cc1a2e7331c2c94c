// The logging request is deprecated by the 2026-07-28 revision but still served (DefenderProtocol).
#pragma warning disable MCP9005

using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Hosting;

/// <summary>
/// Does, on a thread of its own, the start-up work that does not depend on the configuration: the read areas' tool
/// declarations and input schemas (<see cref="Mcp.PrebuiltInputSchemas"/>, which the tools then take as they are), and
/// the serializer contracts the MCP SDK's server builds when it is constructed (one per request and result type of every
/// feature the server declares; about 800 methods compiled at every start, generic instantiations over value types that
/// no ReadyToRun image holds), then one request read and one tool list written with them. Started before the command
/// line is parsed, it runs on the second core while the main thread reads the configuration and builds the host, which
/// then finds that work done. Best effort, and nothing it makes differs from what the server would make: whatever is
/// not ready when the server needs it, the server does itself, as it always did. It costs some CPU (two threads on a
/// small machine each run slower) and shortens the start only when a core is idle (docs/benchmarks.md, "Cold start:
/// what is left after the schema work").
/// </summary>
public static class StartupPrefetch
{
    /// <summary>The request and result types whose contracts the server's constructor asks for.</summary>
    internal static IReadOnlyList<Type> ProtocolTypes { get; } =
    [
        typeof(InitializeRequestParams), typeof(InitializeResult), typeof(DiscoverRequestParams), typeof(DiscoverResult),
        typeof(CompleteRequestParams), typeof(CompleteResult),
        typeof(ListResourcesRequestParams), typeof(ListResourcesResult), typeof(ListResourceTemplatesRequestParams), typeof(ListResourceTemplatesResult),
        typeof(ReadResourceRequestParams), typeof(ReadResourceResult), typeof(SubscribeRequestParams), typeof(UnsubscribeRequestParams), typeof(EmptyResult),
        typeof(ListPromptsRequestParams), typeof(ListPromptsResult), typeof(GetPromptRequestParams), typeof(GetPromptResult),
        typeof(ListToolsRequestParams), typeof(ListToolsResult), typeof(CallToolRequestParams), typeof(CallToolResult),
        typeof(SetLevelRequestParams), typeof(Implementation), typeof(JsonRpcMessage),
    ];

    /// <summary>
    /// The options the SDK's handlers read their contracts from: those of its source-generated context, which is the
    /// first resolver of <see cref="McpJsonUtilities.DefaultOptions"/> (a copy of them, whose contracts would be built
    /// anew); the copy when that ever changes, which still compiles the same generic code.
    /// </summary>
    internal static JsonSerializerOptions SdkContextOptions =>
        McpJsonUtilities.DefaultOptions.TypeInfoResolverChain.OfType<JsonSerializerContext>().FirstOrDefault()?.Options ?? McpJsonUtilities.DefaultOptions;

    /// <summary>Starts the work when <paramref name="args"/> serve MCP (no command, <c>serve</c>, or the root's serve options).</summary>
    public static void StartFor(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        // On one core there is nothing to overlap with.
        if (Environment.ProcessorCount > 1 && Serves(args))
        {
            new Thread(Run) { IsBackground = true, Name = "startup-prefetch" }.Start();
        }
    }

    /// <summary>True when the command line runs the server, whose start the work shortens.</summary>
    internal static bool Serves(IReadOnlyList<string> args) =>
        args.Count == 0 || args[0] == "serve" || (args[0].StartsWith("--", StringComparison.Ordinal) && args[0] is not ("--help" or "--version"));

    /// <summary>Does the work; throws what any part of it throws (tests), where the thread swallows it.</summary>
    internal static void Warm()
    {
        // First what the main thread needs first: the read areas' tools (registered once the configuration is read),
        // their input schemas, which the tools then take as they are (published after each area, so the main thread
        // finds those done even when it overtakes this thread), and the precomputed output schemas.
        foreach (var toolset in Mcp.ToolCatalog.Toolsets.Where(t => t.ReadArea))
        {
            Mcp.PrebuiltInputSchemas.Prebuild(toolset.Tools.Select(e => e.Definition));
            foreach (var entry in toolset.Tools)
            {
                _ = Mcp.PrecomputedOutputSchemas.TryGet(entry.Definition.ResultType, entry.Definition.FanOut && entry.Definition.AnswersPerTenant, out _);
            }
        }

        var options = SdkContextOptions;
        foreach (var type in ProtocolTypes)
        {
            options.GetTypeInfo(type);
        }

        // The transport reads every message through the default options themselves.
        var messages = (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

        // Last, one request read and one answer written as a session does: the serializer's code for reading a request
        // and writing a tool list runs at the first initialize and tools/list, and would be compiled then.
        var request = JsonSerializer.Deserialize(
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"prefetch","version":"1"}}}"""u8,
            messages) as JsonRpcRequest;
        _ = request?.Params.Deserialize((JsonTypeInfo<InitializeRequestParams>)options.GetTypeInfo(typeof(InitializeRequestParams)));
        var tools = new ListToolsResult
        {
            Tools =
            [
                new Tool
                {
                    Name = "prefetch",
                    InputSchema = JsonElement.Parse("""{"type":"object"}"""),
                    OutputSchema = JsonElement.Parse("""{"type":"object"}"""),
                    Annotations = new ToolAnnotations { Title = "prefetch", ReadOnlyHint = true, DestructiveHint = false, IdempotentHint = true, OpenWorldHint = true },
                },
            ],
        };
        var result = JsonSerializer.SerializeToNode(tools, (JsonTypeInfo<ListToolsResult>)options.GetTypeInfo(typeof(ListToolsResult)));
        Stdio.CompactStreamServerTransport.WriteLine(new ArrayBufferWriter<byte>(), new JsonRpcResponse { Id = new RequestId(1), Result = result });
    }

    private static void Run()
    {
        try
        {
            Warm();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Best effort: the server does the same work itself when it starts.
        }
    }
}
