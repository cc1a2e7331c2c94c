using System.Text.Json;
using DefenderMcp.Emulator.Api;

namespace DefenderMcp.Emulator.Tests;

/// <summary>Managed identity endpoints (App Service and IMDS styles) and federated assertions over raw HTTP.</summary>
public sealed class ManagedIdentityTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private async Task<(int Status, JsonElement Body)> GetAsync(string path, string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation(header, value);
        using var response = await fixture.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement);
    }

    [Fact]
    public async Task App_service_style_needs_the_identity_header_and_answers_with_string_numbers()
    {
        var ok = await GetAsync("msi/token?resource=https://api.securitycenter.microsoft.com&api-version=2019-08-01", "X-IDENTITY-HEADER", ManagedIdentityEndpoints.IdentityHeader);
        var wrongHeader = await GetAsync("msi/token?resource=https://api.securitycenter.microsoft.com&api-version=2019-08-01", "X-IDENTITY-HEADER", "guess");
        var badResource = await GetAsync("msi/token?resource=https://management.azure.com/&api-version=2019-08-01", "X-IDENTITY-HEADER", ManagedIdentityEndpoints.IdentityHeader);

        Assert.Equal(200, ok.Status);
        Assert.Equal(JsonValueKind.String, ok.Body.GetProperty("expires_on").ValueKind);
        Assert.Equal(fixture.Emulator.Tenants[0].App.ClientId, ok.Body.GetProperty("client_id").GetString());
        var machines = await fixture.GetAsync("api/machines?$top=1", ok.Body.GetProperty("access_token").GetString()!);
        Assert.Equal(200, machines.Status);
        Assert.Equal(401, wrongHeader.Status);
        Assert.Equal((400, "invalid_resource"), (badResource.Status, badResource.Body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Imds_style_needs_metadata_true_and_client_id_picks_a_user_assigned_identity()
    {
        var fabrikam = fixture.Emulator.GetTenant("fabrikam");

        var ok = await GetAsync($"metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://graph.microsoft.com/&client_id={fabrikam.LimitedApp.ClientId}", "Metadata", "true");
        var noHeader = await GetAsync("metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://graph.microsoft.com", "X-Other", "1");
        var unknown = await GetAsync($"metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://graph.microsoft.com&client_id={Guid.NewGuid()}", "Metadata", "true");

        Assert.Equal(200, ok.Status);
        Assert.Equal("3599", ok.Body.GetProperty("expires_in").GetString());
        var hunt = await fixture.HuntAsync("DeviceInfo | take 1 | project DeviceName", ok.Body.GetProperty("access_token").GetString()!);
        Assert.EndsWith(".fabrikam.com", hunt.Body.GetProperty("results")[0].GetProperty("DeviceName").GetString(), StringComparison.Ordinal);
        Assert.Equal((400, "bad_request_102"), (noHeader.Status, noHeader.Body.GetProperty("error").GetString()));
        Assert.Equal(400, unknown.Status);
    }

    [Fact]
    public async Task Federated_assertions_need_the_trusted_subject_and_audience()
    {
        var tenant = fixture.Emulator.GetTenant("contoso");
        var now = DateTimeOffset.UtcNow;
        var federation = new Security.FederatedCredential(System.Security.Cryptography.RSA.Create(2048));
        Dictionary<string, string> Form(string assertion) => new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = tenant.App.ClientId,
            ["scope"] = "https://graph.microsoft.com/.default",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        };
        async Task<string> Issued(string? subject = null, string? audience = null)
        {
            using var response = await fixture.Http.PostAsync("_emulator/federated-token", JsonContent(new Dictionary<string, object?> { ["subject"] = subject, ["audience"] = audience }), TestContext.Current.CancellationToken);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("token").GetString()!;
        }

        var good = await fixture.TokenAsync(tenant.TenantId, Form(await Issued()));
        var otherSubject = await fixture.TokenAsync(tenant.TenantId, Form(await Issued(subject: "system:serviceaccount:default:intruder")));
        var otherAudience = await fixture.TokenAsync(tenant.TenantId, Form(await Issued(audience: "api://something-else")));
        var otherKey = await fixture.TokenAsync(tenant.TenantId, Form(federation.Issue(now, TimeSpan.FromHours(1))));

        Assert.Equal(200, good.Status);
        Assert.Equal(70021, otherSubject.Body.GetProperty("error_codes")[0].GetInt32());
        Assert.Equal(700212, otherAudience.Body.GetProperty("error_codes")[0].GetInt32());
        Assert.Equal(700027, otherKey.Body.GetProperty("error_codes")[0].GetInt32());
    }

    private static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }), System.Text.Encoding.UTF8, "application/json");
}
