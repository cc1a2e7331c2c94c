namespace DefenderMcp.Emulator.Hunting;

/// <summary>
/// What <c>invoke FileProfile()</c> adds about one file (the columns the function's page documents). The emulator
/// fills it from the same facts <c>GET /api/files/{id}</c> answers with, so a hunt and the file API agree.
/// </summary>
/// <param name="Sha1">SHA-1.</param>
/// <param name="Sha256">SHA-256.</param>
/// <param name="Md5">MD5, or null.</param>
/// <param name="FileSize">Size in bytes.</param>
/// <param name="GlobalPrevalence">Instances Microsoft saw worldwide.</param>
/// <param name="GlobalFirstSeen">First seen worldwide.</param>
/// <param name="GlobalLastSeen">Last seen worldwide.</param>
/// <param name="Signer">Signer, or null when unsigned.</param>
/// <param name="Issuer">Issuing CA, or null.</param>
/// <param name="SignerHash">Signer hash, or null.</param>
/// <param name="IsCertificateValid">Whether the signing certificate is valid.</param>
/// <param name="IsRootSignerMicrosoft">Whether the root signer is Microsoft.</param>
/// <param name="SignatureState">SignedValid, SignedInvalid, Unsigned or Unknown.</param>
/// <param name="IsExecutable">Whether it is a PE file.</param>
/// <param name="ThreatName">Detection name, or null when clean.</param>
/// <param name="Publisher">Publisher, or null.</param>
/// <param name="SoftwareName">Product name, or null.</param>
public sealed record FileProfileFacts(
    string? Sha1,
    string? Sha256,
    string? Md5,
    int? FileSize,
    int? GlobalPrevalence,
    DateTime? GlobalFirstSeen,
    DateTime? GlobalLastSeen,
    string? Signer,
    string? Issuer,
    string? SignerHash,
    bool IsCertificateValid,
    bool IsRootSignerMicrosoft,
    string SignatureState,
    bool IsExecutable,
    string? ThreatName,
    string? Publisher,
    string? SoftwareName);
