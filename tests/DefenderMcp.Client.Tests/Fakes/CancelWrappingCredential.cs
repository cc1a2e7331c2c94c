using Azure.Core;
using Azure.Identity;

namespace DefenderMcp.Client.Tests.Fakes;

/// <summary>
/// Its first request waits until cancelled and then fails as an authentication failure (as Azure.Identity may wrap a
/// cancelled request); later requests succeed.
/// </summary>
public sealed class CancelWrappingCredential(TimeProvider time) : TokenCredential
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _requests);
        if (n == 1)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException ex)
            {
                throw new AuthenticationFailedException("The request was cancelled.", ex);
            }
        }

        return new AccessToken($"t{n}", time.GetUtcNow().AddHours(1));
    }
}
