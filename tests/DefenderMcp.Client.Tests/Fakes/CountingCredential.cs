using Azure.Core;
using Azure.Identity;

namespace DefenderMcp.Client.Tests.Fakes;

/// <summary>Counts token requests; the first <paramref name="failures"/> fail as Entra's refusal would, the rest succeed.</summary>
public sealed class CountingCredential(TimeProvider time, int failures) : TokenCredential
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _requests);
        return n <= failures
            ? throw new AuthenticationFailedException($"AADSTS7000215: Invalid client secret provided (request {n}).")
            : ValueTask.FromResult(new AccessToken($"t{n}", time.GetUtcNow().AddHours(1)));
    }
}
