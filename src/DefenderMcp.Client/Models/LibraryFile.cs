namespace DefenderMcp.Client;

/// <summary>A file of the tenant's live-response library (defender-api §3.8).</summary>
/// <param name="FileName">The name scripts and PutFile use.</param>
/// <param name="Sha256">Its SHA-256.</param>
/// <param name="Description">Its description.</param>
/// <param name="HasParameters">Whether the script takes arguments.</param>
/// <param name="ParametersDescription">What arguments it takes.</param>
/// <param name="CreatedBy">Who uploaded it.</param>
/// <param name="LastUpdatedTime">When it last changed.</param>
public sealed record LibraryFile(string FileName, string? Sha256, string? Description, bool HasParameters, string? ParametersDescription, string? CreatedBy, DateTimeOffset? LastUpdatedTime);
