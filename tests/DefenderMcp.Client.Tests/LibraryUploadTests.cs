using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Tests.Fakes;

namespace DefenderMcp.Client.Tests;

// A library upload is the one multipart write: built and checked before sending, previewed by its fields and the
// file's size and hash (never its bytes), sent as the documented curl sample sends it, and read back from the emulator.
public sealed class LibraryUploadTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly byte[] Script = Encoding.UTF8.GetBytes("Get-Process | Select-Object Name, Id\n");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public void The_preview_names_every_field_and_the_file_by_size_and_hash_without_its_bytes()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, "{}")));

        var request = fake.Client.UploadLibraryFile(new LibraryUpload("list-procs.ps1", Script, "Lists processes", "Process name", OverrideIfExists: true)).Request;
        var preview = request.ToPreview();

        Assert.Equal(("POST", "https://api.security.microsoft.com/api/libraryfiles"), (preview.Method, preview.Url));
        Assert.Null(request.JsonBody);
        Assert.Equal((OperationKind.Write, "Library.Manage", "mde:libraryfiles"), (request.Kind, request.Role, request.Family.Key));
        var form = JsonDocument.Parse(preview.Body!).RootElement.GetProperty("multipart/form-data");
        Assert.Equal(
            ["file", "Description", "ParametersDescription", "HasParameters", "OverrideIfExists"],
            form.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("list-procs.ps1", Script.Length, Hash(Script)), (form.GetProperty("file").GetProperty("fileName").GetString(), form.GetProperty("file").GetProperty("bytes").GetInt32(), form.GetProperty("file").GetProperty("sha256").GetString()));
        Assert.Equal(("Lists processes", "Process name", "true", "true"), (form.GetProperty("Description").GetString(), form.GetProperty("ParametersDescription").GetString(), form.GetProperty("HasParameters").GetString(), form.GetProperty("OverrideIfExists").GetString()));
        Assert.DoesNotContain("Get-Process", preview.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_body_is_multipart_form_data_with_a_lower_case_file_part_and_plain_text_fields()
    {
        string? contentType = null;
        string? body = null;
        using var fake = new FakeClient(new FakeHandler(async (request, _, ct) =>
        {
            contentType = request.Content!.Headers.ContentType!.MediaType;
            body = await request.Content.ReadAsStringAsync(ct);
            return FakeHandler.Json(HttpStatusCode.OK, $$"""{"fileName":"list-procs.ps1","sha256":"{{Hash(Script)}}","hasParameters":false}""");
        }));

        var file = await fake.Client.SendAsync(fake.Client.UploadLibraryFile(new LibraryUpload("list-procs.ps1", Script, null, null, OverrideIfExists: false)), Ct);

        Assert.Equal(("list-procs.ps1", Hash(Script)), (file.FileName, file.Sha256));
        Assert.Equal("multipart/form-data", contentType);
        Assert.Contains("Content-Disposition: form-data; name=\"file\"; filename=\"list-procs.ps1\"\r\nContent-Type: application/octet-stream\r\n\r\nGet-Process", body, StringComparison.Ordinal);
        Assert.Contains("Content-Disposition: form-data; name=\"HasParameters\"\r\n\r\nfalse\r\n", body, StringComparison.Ordinal);
        Assert.Contains("Content-Disposition: form-data; name=\"OverrideIfExists\"\r\n\r\nfalse\r\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("filename*", body, StringComparison.Ordinal);
    }

    public static TheoryData<string, int, string?> Refused => new()
    {
        { "../escape.ps1", 10, null },
        { "a/b.ps1", 10, null },
        { "empty.ps1", 0, null },
        { "huge.bin", (int)DefenderClient.MaxLibraryFileBytes + 1, null },
        { "ok.ps1", 10, "bad\u0001description" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_bad_name_an_empty_or_oversized_file_or_a_control_character_is_refused_before_anything_is_built(string name, int size, string? description)
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, "{}")));

        var error = Assert.Throws<DefenderApiException>(() => fake.Client.UploadLibraryFile(new LibraryUpload(name, new byte[size], description, null, false)));

        Assert.Equal(DefenderErrorCode.InvalidInput, error.Code);
        Assert.Empty(fake.Handler.Sent);
    }

    [Fact]
    public async Task Against_the_emulator_an_upload_is_listed_with_its_hash_refused_again_without_override_then_deleted()
    {
        using var client = fixture.Client("contoso");
        var name = $"upload-{Guid.NewGuid():N}.ps1";

        var uploaded = await client.SendAsync(client.UploadLibraryFile(new LibraryUpload(name, Script, "Lists processes", "Process name", false)), Ct);
        var again = await Assert.ThrowsAsync<DefenderApiException>(() => client.SendAsync(client.UploadLibraryFile(new LibraryUpload(name, Script, null, null, false)), Ct));
        byte[] changed = [.. Script, (byte)'#'];
        var replaced = await client.SendAsync(client.UploadLibraryFile(new LibraryUpload(name, changed, null, null, true)), Ct);
        var listed = (await client.ListLibraryFilesAsync(Ct)).Single(f => f.FileName == name);
        await client.SendAsync(client.DeleteLibraryFile(name), Ct);
        var gone = await Assert.ThrowsAsync<DefenderApiException>(() => client.SendAsync(client.DeleteLibraryFile(name), Ct));

        Assert.Equal((name, Hash(Script), true, "Process name"), (uploaded.FileName, uploaded.Sha256, uploaded.HasParameters, uploaded.ParametersDescription));
        Assert.Equal(DefenderErrorCode.InvalidInput, again.Code);
        Assert.Equal(Hash(changed), replaced.Sha256);
        Assert.Equal((replaced.Sha256, false), (listed.Sha256, listed.HasParameters));
        Assert.DoesNotContain(await client.ListLibraryFilesAsync(Ct), f => f.FileName == name);
        Assert.Equal(DefenderErrorCode.NotFound, gone.Code);
    }
}
