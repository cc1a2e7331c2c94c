using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DefenderMcp.Emulator.Security;

namespace DefenderMcp.Emulator.Tests;

public sealed class DemoKeyCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("defender-mcp-keycache-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_key_written_once_is_read_back_from_a_private_folder_and_file()
    {
        var folder = Path.Combine(_root, "defender-mcp", "demo-keys");
        var cache = DemoKeyCache.TryOpen(folder);
        Assert.NotNull(cache);
        Assert.Null(cache.TryRead("token-signing", 2048));

        using var rsa = RSA.Create(2048);
        var pkcs8 = rsa.ExportPkcs8PrivateKey();
        cache.TryWrite("token-signing", pkcs8);

        Assert.Equal(pkcs8, DemoKeyCache.TryOpen(folder)!.TryRead("token-signing", 2048));
        Assert.Null(cache.TryRead("token-signing", 3072));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "token-signing.pkcs8")));
        }

        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public void A_damaged_or_readable_by_others_key_is_not_used()
    {
        var cache = DemoKeyCache.TryOpen(Path.Combine(_root, "keys"))!;
        var path = Path.Combine(_root, "keys", "contoso-app.pkcs8");
        cache.TryWrite("contoso-app", [0x30, 0x03, 0x02, 0x01, 0x00]);
        Assert.Null(cache.TryRead("contoso-app", 2048));

        if (!OperatingSystem.IsWindows())
        {
            using var rsa = RSA.Create(2048);
            cache.TryWrite("contoso-app", rsa.ExportPkcs8PrivateKey());
            Assert.NotNull(cache.TryRead("contoso-app", 2048));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            Assert.Null(cache.TryRead("contoso-app", 2048));
        }
    }

    [Fact]
    public void A_folder_others_can_read_or_one_that_cannot_be_made_gives_no_cache()
    {
        File.WriteAllText(Path.Combine(_root, "file"), "not a folder");
        Assert.Null(DemoKeyCache.TryOpen(Path.Combine(_root, "file", "keys")));
        if (!OperatingSystem.IsWindows())
        {
            var open = Directory.CreateDirectory(Path.Combine(_root, "shared"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(open.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            Assert.Null(DemoKeyCache.TryOpen(open.FullName));
        }
    }

    [Fact]
    public void App_certificates_are_exported_once_and_reused_from_the_cache_on_the_next_start()
    {
        var cache = DemoKeyCache.TryOpen(Path.Combine(_root, "demo-keys"))!;
        var first = DemoTenants.Create(["contoso"], Run(), cache);
        var app = first.Tenants[0].App;
        Assert.StartsWith(Path.Combine(_root, "demo-keys"), app.CertificatePfxPath, StringComparison.Ordinal);
        var pfxBytes = File.ReadAllBytes(app.CertificatePfxPath);
        var written = File.GetLastWriteTimeUtc(app.CertificatePfxPath);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(app.CertificatePfxPath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(app.CertificatePemPath));
        }

        var second = DemoTenants.Create(["contoso"], Run(), DemoKeyCache.TryOpen(Path.Combine(_root, "demo-keys")));
        var again = second.Tenants[0].App;
        Assert.Equal(app.CertificatePfxPath, again.CertificatePfxPath);
        Assert.Equal(app.CertificateThumbprint, again.CertificateThumbprint);
        Assert.Equal(pfxBytes, File.ReadAllBytes(again.CertificatePfxPath));
        Assert.Equal(written, File.GetLastWriteTimeUtc(again.CertificatePfxPath));
        // The emulator registers the certificate the cached PFX holds, so the server's assertions still verify.
        using var fromPfx = X509CertificateLoader.LoadPkcs12FromFile(again.CertificatePfxPath, again.CertificatePassphrase);
        Assert.True(fromPfx.HasPrivateKey);
        Assert.Equal(fromPfx.RawData, second.Certificates[again.ClientId].RawData);
    }

    [Fact]
    public void App_certificates_readable_by_others_are_not_used()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var folder = Path.Combine(_root, "demo-keys");
        var first = DemoTenants.Create(["contoso"], Run(), DemoKeyCache.TryOpen(folder)).Tenants[0].App;
        File.SetUnixFileMode(first.CertificatePfxPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var second = DemoTenants.Create(["contoso"], Run(), DemoKeyCache.TryOpen(folder)).Tenants[0].App;
        Assert.NotEqual(first.CertificateThumbprint, second.CertificateThumbprint);
        Assert.NotEqual(first.CertificatePfxPath, second.CertificatePfxPath);

        // A cache folder others can read is not opened at all: the certificates are made per start, outside it.
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        Assert.Null(DemoKeyCache.TryOpen(folder));
    }

    // A fresh per-start data folder, as the emulator makes one for each start.
    private string Run() => Directory.CreateDirectory(Path.Combine(_root, "run-" + Guid.NewGuid().ToString("N"))).FullName;
}
