using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace DefenderMcp.Emulator.Tests;

/// <summary>
/// POST /api/libraryfiles over HTTPS as the service documents it (defender-api §3.8): the curl sample's form is
/// accepted, and a body that is not such a form, a missing file, a file over 20 MB, a boolean that is not one, or an
/// existing name without OverrideIfExists is a 400 in the common error shape.
/// </summary>
public sealed class LibraryUploadApiTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Mde = "https://api.securitycenter.microsoft.com/.default";

    private static MultipartFormDataContent Form(string filePart, string fileName, byte[] content, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        form.Add(new ByteArrayContent(content), filePart, fileName);
        return form;
    }

    private async Task<Reply> PostAsync(HttpContent content)
    {
        var token = await fixture.SecretTokenAsync("contoso", Mde);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/libraryfiles") { Content = content };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await fixture.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return new Reply((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), null, null);
    }

    private static void AssertBadRequest(Reply reply, string code)
    {
        Assert.Equal(400, reply.Status);
        Assert.Equal(code, reply.ErrorCode);
        var error = reply.Json.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("target").GetString()));
    }

    [Fact]
    public async Task The_curl_samples_form_is_stored_with_its_hash_and_parameters()
    {
        var bytes = Encoding.UTF8.GetBytes("param($Name)\nGet-Process $Name\n");
        var name = $"curl-{Guid.NewGuid():N}.ps1";

        var reply = await PostAsync(Form("file", name, bytes, ("ParametersDescription", "test"), ("HasParameters", "true"), ("OverrideIfExists", "true"), ("Description", "test description")));

        Assert.Equal(200, reply.Status);
        var entity = reply.Json;
        Assert.Equal((name, Convert.ToHexStringLower(SHA256.HashData(bytes))), (entity.GetProperty("fileName").GetString(), entity.GetProperty("sha256").GetString()));
        Assert.Equal(("test description", true, "test"), (entity.GetProperty("description").GetString(), entity.GetProperty("hasParameters").GetBoolean(), entity.GetProperty("parametersDescription").GetString()));
    }

    [Fact]
    public async Task The_documented_upper_case_File_part_and_HasParameters_alone_are_accepted()
    {
        var reply = await PostAsync(Form("File", $"upper-{Guid.NewGuid():N}.ps1", [1, 2, 3], ("HasParameters", "true")));

        Assert.Equal(200, reply.Status);
        Assert.True(reply.Json.GetProperty("hasParameters").GetBoolean());
    }

    [Fact]
    public async Task A_json_body_a_broken_form_or_a_form_without_a_file_is_an_invalid_request_body()
    {
        var json = await PostAsync(new StringContent("{\"File\":\"x\"}", Encoding.UTF8, "application/json"));
        var broken = new ByteArrayContent(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.ps1\"\r\n\r\nno closing boundary"));
        broken.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        var unreadable = await PostAsync(broken);
        var fieldsOnly = new MultipartFormDataContent { { new StringContent("x.ps1"), "file" }, { new StringContent("d"), "Description" } };
        var noFile = await PostAsync(fieldsOnly);

        AssertBadRequest(json, "InvalidRequestBody");
        AssertBadRequest(unreadable, "InvalidRequestBody");
        AssertBadRequest(noFile, "InvalidRequestBody");
    }

    [Fact]
    public async Task A_boolean_field_that_is_not_true_or_false_is_refused_and_nothing_is_stored()
    {
        var name = $"flag-{Guid.NewGuid():N}.ps1";

        var reply = await PostAsync(Form("file", name, [1], ("OverrideIfExists", "yes")));
        var token = await fixture.SecretTokenAsync("contoso", Mde);
        var listed = await fixture.SendAsync(HttpMethod.Get, "api/libraryfiles", token);

        AssertBadRequest(reply, "InvalidRequestBody");
        Assert.DoesNotContain(name, listed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_over_20_MB_is_refused_with_a_400_not_the_web_servers_413()
    {
        var reply = await PostAsync(Form("file", "big.bin", new byte[(20 * 1024 * 1024) + 1]));

        AssertBadRequest(reply, "InvalidRequestBody");
        Assert.Contains("20 MB", reply.Json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_name_needs_OverrideIfExists()
    {
        var name = $"twice-{Guid.NewGuid():N}.ps1";
        Assert.Equal(200, (await PostAsync(Form("file", name, [1]))).Status);

        var again = await PostAsync(Form("file", name, [2], ("OverrideIfExists", "false")));
        var replaced = await PostAsync(Form("file", name, [2], ("OverrideIfExists", "true")));

        AssertBadRequest(again, "FileAlreadyExists");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([2])), replaced.Json.GetProperty("sha256").GetString());
    }
}
