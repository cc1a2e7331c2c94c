using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary><c>run_live_response_script</c>: runs a library script on a device and returns its output.</summary>
public sealed class RunLiveResponseScriptTool(ToolServices services) : LiveResponseTool(Spec, services)
{
    private static readonly ToolParameter Script = LiveResponseArguments.LibraryFile("script", "The library script's file name, e.g. collect-triage.ps1.");
    private static readonly ToolParameter ScriptArguments = ToolParameter.String("arguments", "The script's argument string, if it takes one.", LiveResponseCommand.MaxArgsLength);

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = Define(
        "run_live_response_script",
        "Run a live-response script",
        "Runs a script from the tenant's live-response library (list_library_files) on a device and returns each command's status, exit code and output: 4,000 characters inline, and the whole output kept 30 minutes under result_id, one row per line, to page with get_hunting_results (or by character with get_live_response_result). Scripts run as SYSTEM and time out after 10 minutes.",
        destructive: true,
        Script,
        ScriptArguments);

    /// <inheritdoc />
    protected override async Task<(LiveResponseCommand Command, string Label)> CommandAsync(ToolCall call, DefenderClient client, CancellationToken cancellationToken)
    {
        // The arguments are checked before the script is looked up in the library, so bad input sends no request.
        var arguments = call.Arguments.OptionalString(ScriptArguments);
        var script = await LiveResponseArguments.LibraryFileAsync(call, Script, client, cancellationToken).ConfigureAwait(false);
        return (LiveResponseArguments.Build(() => LiveResponseCommand.RunScript(script, arguments)), arguments is null ? $"run {script}" : $"run {script} {arguments}");
    }
}
