using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace DefenderMcp.Client.Http;

/// <summary>
/// A multipart/form-data body: text fields and one file part, built the way the documented curl sample sends it
/// (<c>-F name=value</c> fields without a part content type, <c>-F "file=@name"</c> as an octet-stream part). The bytes
/// are held, hashed once, and sent as held, so what was previewed and confirmed is what is sent.
/// </summary>
public sealed class MultipartForm
{
    private readonly byte[] _content;

    /// <summary>A form with <paramref name="fields"/> and the file <paramref name="fileName"/> in part <paramref name="filePart"/>.</summary>
    public MultipartForm(IReadOnlyList<(string Name, string Value)> fields, string filePart, string fileName, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(fields);
        Fields = fields;
        FilePart = filePart;
        FileName = fileName;
        _content = content.ToArray();
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(_content));
    }

    /// <summary>The text fields, in the order they are sent.</summary>
    public IReadOnlyList<(string Name, string Value)> Fields { get; }

    /// <summary>The file part's form name.</summary>
    public string FilePart { get; }

    /// <summary>The file name the file part carries.</summary>
    public string FileName { get; }

    /// <summary>The file's size in bytes.</summary>
    public long Length => _content.Length;

    /// <summary>The file's SHA-256 (lower-case hex).</summary>
    public string Sha256 { get; }

    /// <summary>A new content for one attempt (a content is consumed when sent).</summary>
    public HttpContent ToContent()
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in Fields)
        {
            var field = new StringContent(value);
            field.Headers.ContentType = null;
            field.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quoted(name) };
            form.Add(field);
        }

        // Disposition first, then type: the order curl writes them in.
        var file = new ByteArrayContent(_content);
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quoted(FilePart), FileName = Quoted(FileName) };
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file);
        return form;
    }

    /// <summary>The dry-run view: each field, and the file by name, size and SHA-256 (never its bytes).</summary>
    public string Describe()
    {
        var body = new JsonObject { [FilePart] = new JsonObject { ["fileName"] = FileName, ["bytes"] = Length, ["sha256"] = Sha256 } };
        foreach (var (name, value) in Fields)
        {
            body[name] = value;
        }

        return new JsonObject { ["multipart/form-data"] = body }.ToJsonString();
    }

    // Names and file names are validated to plain characters before a form is built; quoting is all they need.
    private static string Quoted(string value) => $"\"{value}\"";
}
