namespace DefenderMcp.Configuration;

/// <summary>
/// Where live response may write and read files, and how much. Downloads (<c>live_response_get_file</c>) go only into
/// <see cref="DownloadFolder"/> as 0600 files; uploads to the library (<c>upload_library_file</c>) come only from
/// <see cref="UploadFolder"/>. Without a folder the tool that needs it is refused.
/// </summary>
/// <param name="DownloadFolder">Folder collected files are saved in (<c>DEFENDER_MCP_LIVE_RESPONSE_DIR</c>).</param>
/// <param name="UploadFolder">The only folder library uploads are read from (<c>DEFENDER_MCP_LIBRARY_UPLOAD_DIR</c>).</param>
/// <param name="MaxDownloadBytes">Largest file downloaded (<c>DEFENDER_MCP_LIVE_RESPONSE_MAX_MB</c>, 100 MB by default).</param>
/// <param name="InlineTextBytes">A collected text file up to this size is also returned as text (8 KB).</param>
public sealed record LiveResponseSettings(string? DownloadFolder, string? UploadFolder, long MaxDownloadBytes, int InlineTextBytes)
{
    /// <summary>Folder variable for downloads.</summary>
    public const string DownloadFolderVariable = "DEFENDER_MCP_LIVE_RESPONSE_DIR";

    /// <summary>Folder variable for library uploads.</summary>
    public const string UploadFolderVariable = "DEFENDER_MCP_LIBRARY_UPLOAD_DIR";

    /// <summary>Download cap variable, in megabytes.</summary>
    public const string MaxDownloadVariable = "DEFENDER_MCP_LIVE_RESPONSE_MAX_MB";

    /// <summary>No folders; a 100 MB download cap; 8 KB of text inline.</summary>
    public static LiveResponseSettings Default { get; } = new(null, null, 100L * 1024 * 1024, 8 * 1024);

    /// <summary>Reads the variables; each bad value becomes one problem and leaves the default.</summary>
    public static LiveResponseSettings Read(Func<string, string?> environment, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(problems);
        string? Folder(string variable, FolderAccess.Needs needs)
        {
            var folder = environment(variable);
            if (folder is not null && FolderAccess.Check(folder, variable, needs) is { } problem)
            {
                problems.Add(problem);
            }

            return folder is null ? null : Path.GetFullPath(folder);
        }

        var megabytes = PolicyReader.ParseInt(environment(MaxDownloadVariable), MaxDownloadVariable, 1, 4096, problems);
        return Default with
        {
            DownloadFolder = Folder(DownloadFolderVariable, FolderAccess.Needs.Write),
            UploadFolder = Folder(UploadFolderVariable, FolderAccess.Needs.Read),
            MaxDownloadBytes = megabytes is { } mb ? mb * 1024L * 1024 : Default.MaxDownloadBytes,
        };
    }
}
