using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary>
/// What upload_library_file returns once sent: the write's result, the library entry Defender now holds, and the size
/// and SHA-256 of the bytes sent (a mismatch with Defender's hash is named in <see cref="Note"/>).
/// </summary>
public sealed record LibraryUploadResult : WriteResult
{
    /// <summary>An empty result (the serializer's constructor, so the schema keeps the required members).</summary>
    public LibraryUploadResult()
    {
    }

    // Copies every member of the sent write's result.
    [SetsRequiredMembers]
    private LibraryUploadResult(WriteResult sent)
        : base(sent)
    {
    }

    /// <summary><paramref name="sent"/> as an upload result, to complete with the library entry.</summary>
    public static LibraryUploadResult From(WriteResult sent) => new(sent);

    /// <summary>The library entry as Defender reports it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LibraryFileOutput? LibraryFile { get; init; }

    /// <summary>Size of the bytes sent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Bytes { get; init; }

    /// <summary>SHA-256 of the bytes sent (lower-case hex), also in the audit line's parameters.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Sha256 { get; init; }

    /// <summary>Set when Defender's hash of the entry differs from the bytes sent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; init; }
}
