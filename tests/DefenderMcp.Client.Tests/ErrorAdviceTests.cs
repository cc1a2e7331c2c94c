using System.Net;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Tests.Fakes;

namespace DefenderMcp.Client.Tests;

// An error carries what happened and, apart, the advice the client already gives, so the server decides from data
// whether to add its own (before, it searched the message for "Try again" or "get_server_status").
public sealed class ErrorAdviceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<DefenderApiException> FailAsync(Func<HttpResponseMessage> response)
    {
        using var fake = new FakeClient(FakeHandler.Sequence(response));
        return await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.GetIncidentAsync("7", Ct));
    }

    [Fact]
    public void The_message_is_what_happened_then_the_advice_and_a_request_id_keeps_both()
    {
        var error = new DefenderApiException(DefenderErrorCode.Timeout, "It did not answer.", advice: "Try again later.");

        var withId = error.WithRequestId("abc-123");

        Assert.Equal("It did not answer. Try again later.", error.Message);
        Assert.Equal(("It did not answer.", "Try again later.", "It did not answer. Try again later.", "abc-123"), (withId.WhatHappened, withId.Advice, withId.Message, withId.RequestId));
        Assert.Equal("It did not answer.", new DefenderApiException(DefenderErrorCode.Timeout, "It did not answer.").Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task A_refusal_or_a_failure_the_client_cannot_advise_on_has_no_advice(HttpStatusCode status)
    {
        var error = await FailAsync(() => FakeHandler.Status(status));

        Assert.Null(error.Advice);
        Assert.Equal(error.WhatHappened, error.Message);
    }

    [Fact]
    public async Task A_401_advises_checking_the_app_registration_apart_from_what_happened()
    {
        var error = await FailAsync(() => FakeHandler.Status(HttpStatusCode.Unauthorized));

        Assert.Equal("The Defender service did not accept the access token (401).", error.WhatHappened);
        Assert.Equal("Check the app registration and its consent.", error.Advice);
        Assert.Equal("The Defender service did not accept the access token (401). Check the app registration and its consent.", error.Message);
    }

    [Fact]
    public void A_body_over_the_cap_says_the_same_request_meets_the_same_cap_not_to_try_again()
    {
        var error = CappedBodyStream.TooLarge(1024);

        Assert.Equal("The Defender response is too large: it is over the client's 1024-byte cap, so it was not read further.", error.WhatHappened);
        Assert.StartsWith("The same request would meet the same cap; ask for less", error.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hunting_response_over_the_cap_says_to_narrow_the_query()
    {
        var rows = string.Join(",", Enumerable.Repeat("{\"DeviceName\":\"" + new string('x', 1000) + "\"}", 200));
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"schema\":[{\"name\":\"DeviceName\",\"type\":\"String\"}],\"results\":[" + rows + "]}"));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => Parsing.HuntingResponseReader.ReadAsync(stream, Ct, maxBodyBytes: 64 * 1024));

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.Equal("The hunting response is larger than the client accepts, so it was not read.", error.WhatHappened);
        Assert.StartsWith("Narrow the query", error.Advice, StringComparison.Ordinal);
    }
}
