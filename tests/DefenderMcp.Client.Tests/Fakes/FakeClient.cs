namespace DefenderMcp.Client.Tests.Fakes;

/// <summary>A client over a fake transport, fake credential and instant clock.</summary>
public sealed class FakeClient : IDisposable
{
    public FakeClient(FakeHandler handler, Func<DefenderTenantOptions, DefenderTenantOptions>? configure = null, Exception? authFailure = null, string? tokenPayload = null, TimeProvider? timeouts = null)
    {
        Handler = handler;
        Credential = new FakeCredential(Time, authFailure, tokenPayload);
        var options = new DefenderTenantOptions
        {
            TenantId = "00000000-0000-0000-0000-000000000001",
            ClientId = "00000000-0000-0000-0000-000000000002",
            Credential = new ClientSecretCredentialSpec("unused"),
            Endpoints = DefenderEndpoints.For(DefenderCloud.Commercial),
            Retry = new DefenderRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(200) },
        };
        Client = DefenderClient.CreateForTests(configure is null ? options : configure(options), handler, Credential, Time, timeouts);
    }

    public InstantTime Time { get; } = new();

    public FakeHandler Handler { get; }

    public FakeCredential Credential { get; }

    public DefenderClient Client { get; }

    public void Dispose() => Client.Dispose();
}
