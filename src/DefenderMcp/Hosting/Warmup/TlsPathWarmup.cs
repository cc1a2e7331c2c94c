using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DefenderMcp.Client.Http;

namespace DefenderMcp.Hosting.Warmup;

/// <summary>
/// One HTTPS GET through a handler made as a tenant's (<see cref="TlsTrust.CreateHandler(X509Certificate2)"/>, as with
/// DEFENDER_TLS_TRUST_CERT), except that its connection is an <see cref="InMemoryDuplexStream"/> answered in this
/// process: a TLS handshake against a throwaway certificate (P-256, made here, the extra root of this handler alone)
/// and a canned HTTP/1.1 response. It compiles the first connection's code (SocketsHttpHandler, SslStream, the chain build) before the
/// first real call needs it. No socket is opened and no name is resolved.
/// </summary>
internal static class TlsPathWarmup
{
    private static readonly Uri Target = new("https://warm-up.invalid/warm-up");

    private static readonly byte[] Answer = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");

    /// <summary>An in-memory exchange that takes longer than this has gone wrong: it is abandoned.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs the exchange and returns how many connections the handler asked for (each one in memory); throws when it
    /// did not end in the canned 200 within the bound.
    /// </summary>
    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Bound);
        return await ExchangeAsync(bounded.Token).ConfigureAwait(false);
    }

    private static async Task<int> ExchangeAsync(CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Target.Host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(Target.Host);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddMinutes(10));
        var (client, server) = InMemoryDuplexStream.CreatePair();
        // Trusted as a tenant's extra root is (DEFENDER_TLS_TRUST_CERT): the same validation code, for this handler alone.
        using var handler = TlsTrust.CreateHandler(certificate);
        var connections = 0;
        handler.ConnectCallback = (_, _) =>
        {
            // The one connection there is; a second would find nothing to talk to.
            return Interlocked.Increment(ref connections) == 1
                ? ValueTask.FromResult<Stream>(client)
                : ValueTask.FromException<Stream>(new InvalidOperationException("The warm-up has one in-memory connection."));
        };
        using var http = new HttpClient(handler, disposeHandler: false);
        var serving = ServeAsync(server, certificate, cancellationToken);
        using (var response = await http.GetAsync(Target, cancellationToken).ConfigureAwait(false))
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || body != "{}")
            {
                throw new InvalidOperationException("The warm-up's HTTPS exchange did not go as expected.");
            }
        }

        await serving.ConfigureAwait(false);
        return connections;
    }

    private static async Task ServeAsync(InMemoryDuplexStream connection, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        await using var tls = new SslStream(connection);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[8192];
        var read = 0;
        while (read < buffer.Length && buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8) < 0)
        {
            var n = await tls.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return;
            }

            read += n;
        }

        await tls.WriteAsync(Answer, cancellationToken).ConfigureAwait(false);
        await tls.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
