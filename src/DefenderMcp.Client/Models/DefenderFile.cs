namespace DefenderMcp.Client;

/// <summary>A file as Defender for Endpoint knows it (files.md): global prevalence, signer and verdict.</summary>
public sealed record DefenderFile(
    string? Sha1,
    string? Sha256,
    long? GlobalPrevalence,
    DateTimeOffset? GlobalFirstObserved,
    DateTimeOffset? GlobalLastObserved,
    long? Size,
    string? FileType,
    bool? IsPeFile,
    string? FilePublisher,
    string? FileProductName,
    string? Signer,
    string? Issuer,
    bool? IsValidCertificate,
    string? DeterminationType,
    string? DeterminationValue);
