using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DefenderMcp.E2E.Http;

/// <summary>TLS terminated by Kestrel itself: a PEM certificate and key (0600) for an https:// address.</summary>
public sealed class HttpTlsTests(HttpEmulatorFixture fixture) : IClassFixture<HttpEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kestrel_serves_https_with_the_configured_certificate_and_refuses_https_without_one()
    {
        var folder = Directory.CreateTempSubdirectory("defender-mcp-tls-").FullName;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(folder, "server.crt");
        var keyPath = Path.Combine(folder, "server.key");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem(), Ct);
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem(), Ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var env = fixture.Environment(("DEFENDER_MCP_HTTP_TLS_CERT", certPath), ("DEFENDER_MCP_HTTP_TLS_KEY", keyPath));

        var (refused, refusedErr) = await HttpServerHost.RunToExitAsync(fixture.Environment(), Ct, "serve", "--transport", "http", "--urls", "https://127.0.0.1:0");
        await using var server = await HttpServerHost.StartAsync(env, Ct, "--urls", "https://127.0.0.1:0");
        var pinned = certificate.RawData;
        using var http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(pinned) },
        });
        using var health = await http.GetAsync(new Uri(server.BaseUrl, "/healthz"), Ct);
        using var unauthenticated = await http.PostAsync(server.McpUrl, new StringContent(HttpClients.InitializeBody, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(2, refused);
        Assert.Contains("DEFENDER_MCP_HTTP_TLS_CERT", refusedErr, StringComparison.Ordinal);
        Assert.Equal("https", server.McpUrl.Scheme);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Directory.Delete(folder, recursive: true);
    }
}
