using System.Net;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Tests.Fakes;
using DefenderMcp.Emulator.Control;

namespace DefenderMcp.Client.Tests;

/// <summary>
/// A body streamed chunked with no Content-Length (the emulator's <c>oversized</c> fault) is read only up to the
/// client's cap, whatever it declares: a list, a single object and a hunting response each fail as upstream_error
/// naming the cap, and the next call works. The caps are lowered here so no test streams 32 MB; without a cap held
/// while reading, the 40 MiB body is read whole and fails as malformed JSON instead.
/// </summary>
public sealed class OversizedBodyTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const long Cap = 256 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_chunked_list_page_over_the_cap_is_upstream_error_and_the_next_call_works()
    {
        using var client = Capped("contoso");
        await fixture.Control.AddFaultAsync(new FaultSpec { Body = "oversized", Tenant = "contoso", PathPattern = "/security/incidents\\?" }, Ct);

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => client.ListIncidentsAsync(new IncidentFilter(), 5, Ct));
        var incidents = await client.ListIncidentsAsync(new IncidentFilter(), 5, Ct);

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.Equal(CappedBodyStream.TooLarge(Cap).Message, error.Message);
        Assert.Contains("262144-byte cap", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, incidents.Count);
    }

    [Fact]
    public async Task A_chunked_single_object_over_the_cap_is_upstream_error()
    {
        using var client = Capped("fabrikam");
        var machine = (await client.ListMachinesAsync(new MachineFilter(), 1, Ct))[0];
        await fixture.Control.AddFaultAsync(new FaultSpec { Body = "oversized", Tenant = "fabrikam", PathPattern = "/api/machines/" + machine.Id + "$" }, Ct);

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => client.GetMachineAsync(machine.Id, Ct));

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.Equal(CappedBodyStream.TooLarge(Cap).Message, error.Message);
        Assert.Equal(machine.Id, (await client.GetMachineAsync(machine.Id, Ct)).Id);
    }

    [Fact]
    public async Task A_chunked_hunting_response_over_the_cap_is_upstream_error()
    {
        using var client = Capped("contoso");
        await fixture.Control.AddFaultAsync(new FaultSpec { Body = "oversized", Tenant = "contoso", PathPattern = "runHuntingQuery" }, Ct);

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => client.RunHuntingQueryAsync("DeviceInfo | take 1", null, Ct));

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.Contains("larger than the client accepts", error.Message, StringComparison.Ordinal);
        Assert.Single((await client.RunHuntingQueryAsync("DeviceInfo | take 1", null, Ct)).Rows);
    }

    [Fact]
    public async Task A_chunked_token_answer_over_the_azure_sdk_cap_is_auth_failure_and_stops_at_the_cap()
    {
        var tenant = fixture.Emulator.GetTenant("fabrikam");
        using var client = fixture.Client("fabrikam", new ClientSecretCredentialSpec(tenant.App.ClientSecret));
        await fixture.Control.AddFaultAsync(new FaultSpec { Body = "oversized", Count = 0, Tenant = "fabrikam", PathPattern = "/oauth2/v2.0/token$" }, Ct);
        try
        {
            var error = await Assert.ThrowsAsync<DefenderApiException>(() => client.ListMachinesAsync(new MachineFilter(), 1, Ct));

            Assert.Equal(DefenderErrorCode.AuthFailure, error.Code);
            Assert.Contains(CappedBodyStream.TooLarge(CappedResponseHandler.AzureSdkCap).Message, error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task An_error_body_with_no_length_is_read_only_up_to_its_own_cap()
    {
        var body = new CountingBodyStream(8 * 1024 * 1024);
        using var fake = new FakeClient(FakeHandler.Sequence(() => new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StreamContent(body) }));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.GetMachineAsync("m1", Ct));

        Assert.Equal(DefenderErrorCode.InvalidInput, error.Code);
        Assert.InRange(body.BytesRead, 1, (64 * 1024) + 1);
    }

    [Fact]
    public async Task An_error_body_whose_connection_breaks_maps_from_the_status_alone()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StreamContent(new BrokenBodyStream()) }));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.GetMachineAsync("m1", Ct));

        Assert.Equal(DefenderErrorCode.InvalidInput, error.Code);
        Assert.Equal(400, error.HttpStatus);
    }

    private DefenderClient Capped(string tenant)
    {
        var client = fixture.Client(tenant);
        client.MaxBodyBytes = Cap;
        client.MaxHuntingBodyBytes = Cap;
        return client;
    }
}
