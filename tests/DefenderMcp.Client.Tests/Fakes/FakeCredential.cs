using Azure.Core;

namespace DefenderMcp.Client.Tests.Fakes;

/// <summary>Hands out tokens t1, t2, ... (or throws), valid for an hour on the given clock.</summary>
public sealed class FakeCredential(TimeProvider time, Exception? failure = null, string? payloadJson = null) : TokenCredential
{
    private int _issued;

    public int Issued => Volatile.Read(ref _issued);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        if (failure is not null)
        {
            throw failure;
        }

        var n = Interlocked.Increment(ref _issued);
        var token = payloadJson is null
            ? $"t{n}"
            : "eyJhbGciOiJub25lIn0." + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(payloadJson)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".sig";
        return ValueTask.FromResult(new AccessToken(token, time.GetUtcNow().AddHours(1)));
    }
}
