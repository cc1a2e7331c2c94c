namespace DefenderMcp.Client;

/// <summary>
/// A file to add to the live-response library (defender-api §3.8): its name and bytes (at most
/// <see cref="DefenderClient.MaxLibraryFileBytes"/>), an optional description, a description of the parameters a
/// script takes (which also marks it as taking parameters), and whether to replace a file of the same name.
/// </summary>
/// <param name="FileName">The library name (a plain file name, checked like every library file name).</param>
/// <param name="Content">The bytes, read once by the caller.</param>
/// <param name="Description">What the file is for.</param>
/// <param name="ParametersDescription">The parameters a script takes; null when it takes none.</param>
/// <param name="OverrideIfExists">Replace a library file of the same name.</param>
public sealed record LibraryUpload(string FileName, ReadOnlyMemory<byte> Content, string? Description, string? ParametersDescription, bool OverrideIfExists)
{
    /// <summary>Longest description the client sends.</summary>
    public const int MaxDescriptionLength = 1000;
}
