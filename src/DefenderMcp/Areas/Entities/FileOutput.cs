using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Entities;

/// <summary>A file's identity, signer, verdict and global prevalence.</summary>
public sealed record FileOutput(
    string? Sha1,
    string? Sha256,
    long? Size,
    string? FileType,
    bool? IsPeFile,
    string? Publisher,
    string? ProductName,
    string? Signer,
    string? Issuer,
    bool? IsValidCertificate,
    string? DeterminationType,
    string? DeterminationValue,
    long? GlobalPrevalence,
    DateTimeOffset? GlobalFirstObserved,
    DateTimeOffset? GlobalLastObserved,
    IReadOnlyList<string> TopFileNames)
{
    /// <summary>Maps a client file and its statistics' file names; upstream strings are clipped.</summary>
    public static FileOutput From(DefenderFile f, EntityStats stats) => new(
        Text.Clip(f.Sha1, 40),
        Text.Clip(f.Sha256, 64),
        f.Size,
        Text.Clip(f.FileType, 64),
        f.IsPeFile,
        Text.Clip(f.FilePublisher, 256),
        Text.Clip(f.FileProductName, 256),
        Text.Clip(f.Signer, 256),
        Text.Clip(f.Issuer, 256),
        f.IsValidCertificate,
        Text.Clip(f.DeterminationType, 64),
        Text.Clip(f.DeterminationValue, 256),
        f.GlobalPrevalence ?? stats.GlobalPrevalence,
        f.GlobalFirstObserved,
        f.GlobalLastObserved,
        [.. stats.TopFileNames.Take(10).Select(n => Text.Clip(n, 260)!)]);
}
