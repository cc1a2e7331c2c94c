namespace DefenderMcp.Mcp.Results;

/// <summary>A file collected from a device and saved on the server.</summary>
/// <param name="DevicePath">Where it was on the device.</param>
/// <param name="SavedTo">The 0600 file in the configured download folder.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Sha256">Its SHA-256 (lower-case hex), computed while it was downloaded.</param>
/// <param name="IsText">Whether it is UTF-8 text without NUL bytes.</param>
/// <param name="Content">Its text, only when it is text and small; never a binary file's bytes.</param>
public sealed record CollectedFileResult(string DevicePath, string SavedTo, long Size, string Sha256, bool IsText, string? Content);
