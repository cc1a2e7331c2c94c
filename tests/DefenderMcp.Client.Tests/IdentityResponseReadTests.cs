using System.Net;
using DefenderMcp.Client.Tests.Fakes;

namespace DefenderMcp.Client.Tests;

// How the identity writes read Graph's answers: revoke is documented as 204 but answers 200 {"value": true}.
public sealed class IdentityResponseReadTests
{
    private const string UserId = "29f270bb-4d23-4f68-8a57-dc73dc0d4caf";

    private static Task<bool> RevokeAsync(Func<HttpResponseMessage> answer)
    {
        var fake = new FakeClient(FakeHandler.Sequence(answer));
        return fake.Client.SendAsync(fake.Client.RevokeSignInSessions(UserId), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Revoke_is_success_on_200_true_and_on_204()
    {
        Assert.True(await RevokeAsync(() => FakeHandler.Json(HttpStatusCode.OK, "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean\",\"value\":true}")));
        Assert.True(await RevokeAsync(() => FakeHandler.Status(HttpStatusCode.NoContent)));
    }

    [Fact]
    public async Task Revoke_answered_false_is_an_upstream_error()
    {
        var error = await Assert.ThrowsAsync<DefenderApiException>(() => RevokeAsync(() => FakeHandler.Json(HttpStatusCode.OK, "{\"value\":false}")));

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
    }

    [Fact]
    public async Task An_unknown_user_is_not_found_and_a_missing_permission_names_the_graph_role()
    {
        var missing = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.NotFound, "{\"error\":{\"code\":\"Request_ResourceNotFound\",\"message\":\"Resource 'x' does not exist\"}}")));
        var forbidden = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.Forbidden, "{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges to complete the operation.\"}}")));

        var notFound = await Assert.ThrowsAsync<DefenderApiException>(() => missing.Client.GetUserAsync("nobody@contoso.com", TestContext.Current.CancellationToken));
        var denied = await Assert.ThrowsAsync<DefenderApiException>(() => forbidden.Client.SendAsync(forbidden.Client.SetAccountEnabled(UserId, false), TestContext.Current.CancellationToken));

        Assert.Equal(DefenderErrorCode.NotFound, notFound.Code);
        Assert.Equal(DefenderErrorCode.PermissionDenied, denied.Code);
        Assert.Contains("User.EnableDisableAccount.All", denied.Message, StringComparison.Ordinal);
    }
}
