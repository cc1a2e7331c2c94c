namespace DefenderMcp.Client;

/// <summary>What a result download wrote: its size and SHA-256.</summary>
/// <param name="Bytes">Bytes written.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of those bytes.</param>
public sealed record LiveResponseDownload(long Bytes, string Sha256);
