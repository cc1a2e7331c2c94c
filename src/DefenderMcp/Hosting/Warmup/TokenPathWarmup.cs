using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using DefenderMcp.Client;
using DefenderMcp.Client.Auth;

namespace DefenderMcp.Hosting.Warmup;

/// <summary>
/// One token exchange through the same code as a tenant's first token (<see cref="CredentialFactory"/>, our
/// <see cref="TokenCache"/>, Azure.Identity's client-secret credential, MSAL, System.Net.Http's content and
/// System.Text.Json's metadata over MSAL's types), with a made-up tenant, app and secret (or an already opened certificate), against
/// <see cref="StubTokenHandler"/>. No configured tenant, secret, token cache or connection pool is used; the authority
/// host is a reserved name that nothing but the stub ever answers.
/// </summary>
internal static class TokenPathWarmup
{
    /// <summary>A reserved (RFC 6761) host: even a transport that escaped the stub could not resolve it.</summary>
    internal static readonly Uri AuthorityHost = new("https://warm-up.invalid/");

    /// <summary>Exchanges a made-up client secret; throws when the stub did not see exactly one token request and nothing else.</summary>
    public static Task RunAsync(CancellationToken cancellationToken) =>
        RunAsync(Options(new ClientSecretCredentialSpec("warm-up-placeholder-not-a-secret")), static (options, stub) => CredentialFactory.CreateFactory(options, stub), cancellationToken);

    /// <summary>
    /// Exchanges a client assertion signed with <paramref name="certificate"/> (a configured tenant's certificate that
    /// this process has already opened), as a certificate tenant's first token does. The assertion names the made-up
    /// app and the reserved host, goes only to the stub and is dropped; the certificate is not changed or kept.
    /// </summary>
    public static Task RunAsync(X509Certificate2 certificate, CancellationToken cancellationToken) =>
        RunAsync(Options(new CertificateFileCredential(AuthorityHost.Host, null)), (options, stub) => CredentialFactory.CreateFactory(options, certificate, stub), cancellationToken);

    private static DefenderTenantOptions Options(TenantCredential credential) => new()
    {
        TenantId = "00000000-0000-0000-0000-00000000a000",
        ClientId = "00000000-0000-0000-0000-00000000a001",
        Credential = credential,
        Endpoints = DefenderEndpoints.For(DefenderCloud.Commercial).WithOverrides(AuthorityHost, AuthorityHost, AuthorityHost),
    };

    private static async Task RunAsync(DefenderTenantOptions options, Func<DefenderTenantOptions, StubTokenHandler, Func<TokenCredential>> factory, CancellationToken cancellationToken)
    {
        using var stub = new StubTokenHandler();
        var tokens = new TokenCache(factory(options, stub), TimeProvider.System);
        var token = await tokens.GetAsync(options.Endpoints.GraphScope, forceRefresh: false, cancellationToken).ConfigureAwait(false);
        if (token != StubTokenHandler.CannedToken || stub.TokenRequests != 1 || stub.OtherRequests != 0)
        {
            throw new InvalidOperationException("The warm-up's token exchange did not go as expected.");
        }
    }
}
