using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace DefenderMcp.Emulator.Tests;

// Launch: the address, certificate path and tenants at once, the host on its own thread; early clients wait, failures close the port.
public sealed class EmulatorStartTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_connection_made_before_the_emulator_serves_waits_in_the_backlog_and_is_answered_over_its_tls()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var start = DefenderEmulator.Launch(new EmulatorOptions());
        using var early = new TcpClient();
        await early.ConnectAsync(IPAddress.Loopback, start.BaseUri.Port, ct);

        var emulator = await start.Running.WaitAsync(Bound, ct);
        Assert.Equal(start.BaseUri, emulator.BaseUri);
        Assert.Equal(start.CertificatePemPath, emulator.CertificatePemPath);
        Assert.Equal(start.Tenants.Select(t => t.App.CertificatePfxPath), emulator.Tenants.Select(t => t.App.CertificatePfxPath));
        Assert.Equal(emulator.TlsCertificate.ExportCertificatePem(), (await File.ReadAllTextAsync(start.CertificatePemPath, ct)).Trim());

        // The connection accepted by the kernel before the host existed is served by it, with the certificate pinned.
        var pinned = emulator.TlsCertificate.RawData;
        await using var tls = new SslStream(early.GetStream(), leaveInnerStreamOpen: false, (_, c, _, _) => c is not null && c.GetRawCertData().AsSpan().SequenceEqual(pinned));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" }, ct);
        await tls.WriteAsync(Encoding.ASCII.GetBytes("GET /v1.0/security/alerts_v2 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), ct);
        using var reader = new StreamReader(tls, Encoding.ASCII);
        Assert.StartsWith("HTTP/1.1 401", await reader.ReadLineAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_that_fails_says_why_closes_its_port_and_removes_its_folder()
    {
        var ct = TestContext.Current.CancellationToken;
        var missing = Path.Combine(Path.GetTempPath(), "defender-mcp-missing-" + Guid.NewGuid().ToString("N"), "tls.pem");
        var start = DefenderEmulator.Launch(new EmulatorOptions { CertificatePemPath = missing });
        var folder = Path.GetDirectoryName(start.Tenants[0].App.CertificatePfxPath)!;

        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => start.Running.WaitAsync(Bound, ct));
        Assert.False(Directory.Exists(folder));
        using var late = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(IPAddress.Loopback, start.BaseUri.Port, ct).AsTask());
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        await start.DisposeAsync();
    }

    [Fact]
    public void A_port_in_use_fails_at_once()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        var error = Assert.Throws<SocketException>(() => DefenderEmulator.Launch(new EmulatorOptions { Port = port }));
        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }
}
