using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DefenderMcp.Hosting.Warmup;

namespace DefenderMcp.Tests.Warmup;

public sealed class StubTokenHandlerTests
{
    [Fact]
    public async Task A_token_request_gets_a_well_formed_token_response_and_anything_else_a_404()
    {
        using var stub = new StubTokenHandler();
        using var http = new HttpClient(stub, disposeHandler: false);
        var ct = TestContext.Current.CancellationToken;

        using var form = new FormUrlEncodedContent([new("grant_type", "client_credentials")]);
        using var token = await http.PostAsync(new Uri("https://warm-up.invalid/tenant/oauth2/v2.0/token"), form, ct);
        using var other = await http.GetAsync(new Uri("https://warm-up.invalid/common/discovery/instance"), ct);

        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal("application/json", token.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await token.Content.ReadAsStringAsync(ct));
        Assert.Equal("Bearer", body.RootElement.GetProperty("token_type").GetString());
        Assert.Equal(3599, body.RootElement.GetProperty("expires_in").GetInt32());
        Assert.Equal(StubTokenHandler.CannedToken, body.RootElement.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(1, stub.TokenRequests);
        Assert.Equal(1, stub.OtherRequests);
    }

    [Fact]
    public async Task The_token_path_warm_up_completes_through_Azure_Identity_and_MSAL_against_the_stub_alone()
    {
        // RunAsync throws unless the stub saw exactly one token request, nothing else, and MSAL returned its token.
        await TokenPathWarmup.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal("warm-up.invalid", TokenPathWarmup.AuthorityHost.Host);
    }

    [Fact]
    public async Task The_certificate_warm_up_signs_its_assertion_for_the_stub_alone()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=warm-up-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        // Throws unless MSAL built the assertion, the stub alone answered and the canned token came back.
        await TokenPathWarmup.RunAsync(certificate, TestContext.Current.CancellationToken);

        Assert.True(certificate.HasPrivateKey);
    }

    [Fact]
    public async Task The_token_path_warm_up_stops_when_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TokenPathWarmup.RunAsync(cancelled.Token));
    }
}
