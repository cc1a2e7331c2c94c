using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary>
/// Base of the library's writes (upload, delete): live_response tier, destructive (what the library holds can run as
/// SYSTEM on a device), one tenant, confirmed and dry-run capable like every write.
/// </summary>
public abstract class LibraryWriteTool(ToolDefinition definition, ToolServices services) : WriteTool(definition, services)
{
    /// <summary>The definition of a library write: its own parameters, then the write parameters.</summary>
    protected static ToolDefinition Define(string name, string title, string description, Type resultType, params ToolParameter[] own) =>
        LiveResponseArguments.WriteDefinition(name, title, description + " Confirmed by a person; use dry_run to see the request first.", destructive: true, resultType, [.. own, .. WriteParameters]);

    /// <inheritdoc />
    protected override string CheckAfterFailure => "list_library_files shows the library as it is now";
}
