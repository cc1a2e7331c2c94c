using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary>The arguments live-response tools share: library file names, checked against the tenant's library.</summary>
public static class LiveResponseArguments
{
    /// <summary>A required library file name parameter.</summary>
    public static ToolParameter LibraryFile(string name, string description) =>
        ToolParameter.String(name, description, LiveResponseCommand.MaxFileNameLength, "^[A-Za-z0-9][A-Za-z0-9._ -]*$").AsRequired();

    /// <summary>
    /// The named library file, refused (invalid_input) unless the tenant's library has it: live response runs and
    /// puts library files only.
    /// </summary>
    public static async Task<string> LibraryFileAsync(ToolCall call, ToolParameter parameter, DefenderClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(client);
        var name = call.Arguments.RequiredString(parameter);
        Build(() => LiveResponseCommand.LibraryFileName(name));
        var library = await client.ListLibraryFilesAsync(cancellationToken).ConfigureAwait(false);
        return library.FirstOrDefault(f => string.Equals(f.FileName, name, StringComparison.OrdinalIgnoreCase))?.FileName
            ?? throw ToolException.InvalidInput($"'{name}' is not in the tenant's live-response library (scripts run and files put come only from it). list_library_files shows what it holds; upload_library_file adds a file.");
    }

    /// <summary>
    /// The definition of a live-response tier write (session commands and library writes alike): one tenant, never
    /// read-only or idempotent, confirmed by a person and dry-run capable.
    /// </summary>
    public static ToolDefinition WriteDefinition(string name, string title, string description, bool destructive, Type resultType, IReadOnlyList<ToolParameter> parameters) => new()
    {
        Name = name,
        Title = title,
        Description = description,
        Tier = Configuration.ActionTier.LiveResponse,
        ReadOnly = false,
        Destructive = destructive,
        Idempotent = false,
        FanOut = false,
        ResultType = resultType,
        Parameters = parameters,
    };

    /// <summary>Runs a client builder, turning its invalid_input into the tool's.</summary>
    public static T Build<T>(Func<T> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        try
        {
            return build();
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.InvalidInput)
        {
            throw ToolException.InvalidInput(ex.Message);
        }
    }
}
