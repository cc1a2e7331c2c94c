using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary>The LiveResponse area's tools (scripts, files and the library), for <see cref="ToolCatalog"/>.</summary>
public static class LiveResponseArea
{
    /// <summary>Each tool's definition and how to create it.</summary>
    public static IReadOnlyList<ToolEntry> Tools { get; } =
    [
        Tool(ListLibraryFilesTool.Spec, s => new ListLibraryFilesTool(s)),
        Tool(RunLiveResponseScriptTool.Spec, s => new RunLiveResponseScriptTool(s)),
        Tool(LiveResponseGetFileTool.Spec, s => new LiveResponseGetFileTool(s)),
        Tool(LiveResponsePutFileTool.Spec, s => new LiveResponsePutFileTool(s)),
        Tool(GetLiveResponseResultTool.Spec, s => new GetLiveResponseResultTool(s)),
        Tool(UploadLibraryFileTool.Spec, s => new UploadLibraryFileTool(s)),
        Tool(DeleteLibraryFileTool.Spec, s => new DeleteLibraryFileTool(s)),
    ];

    private static ToolEntry Tool(ToolDefinition definition, Func<ToolServices, DefenderTool> create) => new(definition, create);
}
