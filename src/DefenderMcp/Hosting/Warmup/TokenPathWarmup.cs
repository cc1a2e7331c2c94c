using DefenderMcp.Client;
using DefenderMcp.Client.Auth;

namespace DefenderMcp.Hosting.Warmup;

/// <summary>
/// One token exchange through the same code as a tenant's first token (<see cref="CredentialFactory"/>, our
/// <see cref="TokenCache"/>, Azure.Identity's client-secret credential, MSAL, System.Net.Http's content and
/// System.Text.Json's metadata over MSAL's types), with a made-up tenant, app and secret, against
/// <see cref="StubTokenHandler"/>. No configured tenant, secret, token cache or connection pool is used; the authority
/// host is a reserved name that nothing but the stub ever answers.
/// </summary>
internal static class TokenPathWarmup
{
    /// <summary>A reserved (RFC 6761) host: even a transport that escaped the stub could not resolve it.</summary>
    internal static readonly Uri AuthorityHost = new("https://warm-up.invalid/");

    /// <summary>Runs the exchange; throws when the stub did not see exactly one token request and nothing else.</summary>
    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stub = new StubTokenHandler();
        var options = new DefenderTenantOptions
        {
            TenantId = "00000000-0000-0000-0000-00000000a000",
            ClientId = "00000000-0000-0000-0000-00000000a001",
            Credential = new ClientSecretCredentialSpec("warm-up-placeholder-not-a-secret"),
            Endpoints = DefenderEndpoints.For(DefenderCloud.Commercial).WithOverrides(AuthorityHost, AuthorityHost, AuthorityHost),
        };
        var tokens = new TokenCache(CredentialFactory.CreateFactory(options, stub), TimeProvider.System);
        var token = await tokens.GetAsync(options.Endpoints.GraphScope, forceRefresh: false, cancellationToken).ConfigureAwait(false);
        if (token != StubTokenHandler.CannedToken || stub.TokenRequests != 1 || stub.OtherRequests != 0)
        {
            throw new InvalidOperationException("The warm-up's token exchange did not go as expected.");
        }
    }
}
