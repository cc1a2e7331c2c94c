using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Entities;

/// <summary>The Entities area's tools (pivots on files, IPs, domains, users and logon users), for <see cref="ToolCatalog"/>.</summary>
public static class EntitiesArea
{
    /// <summary>Each tool's definition and how to create it.</summary>
    public static IReadOnlyList<ToolEntry> Tools { get; } =
    [
        Tool(GetFileInfoTool.Spec, s => new GetFileInfoTool(s)),
        Tool(GetIpInfoTool.Spec, s => new GetIpInfoTool(s)),
        Tool(GetDomainInfoTool.Spec, s => new GetDomainInfoTool(s)),
        Tool(GetUserInfoTool.Spec, s => new GetUserInfoTool(s)),
        Tool(GetDeviceLogonUsersTool.Spec, s => new GetDeviceLogonUsersTool(s)),
    ];

    private static ToolEntry Tool(ToolDefinition definition, Func<ToolServices, DefenderTool> create) => new(definition, create);
}
