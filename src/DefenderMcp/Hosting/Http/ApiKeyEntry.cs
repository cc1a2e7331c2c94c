using System.Text.Json.Serialization;

namespace DefenderMcp.Hosting.Http;

/// <summary>One named API key as stored: the SHA-256 of the key (hex), never the key.</summary>
/// <param name="Name">The caller name the key stands for (audit lines and limits use it).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the key's UTF-8 bytes.</param>
/// <param name="Created">When the key was made.</param>
public sealed record ApiKeyEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("created")] DateTimeOffset Created);
