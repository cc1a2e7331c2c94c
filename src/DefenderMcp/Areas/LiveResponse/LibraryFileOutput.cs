using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary>A library file as reported to the model.</summary>
public sealed record LibraryFileOutput(string FileName, string? Sha256, string? Description, bool HasParameters, string? ParametersDescription, string? CreatedBy, DateTimeOffset? LastUpdatedTime)
{
    /// <summary>Maps the client's library file; upstream strings are clipped.</summary>
    public static LibraryFileOutput From(LibraryFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new(Text.Clip(file.FileName, 256)!, Text.Clip(file.Sha256, 64), Text.Clip(file.Description, 1000), file.HasParameters, Text.Clip(file.ParametersDescription, 1000), Text.Clip(file.CreatedBy, 256), file.LastUpdatedTime);
    }
}
