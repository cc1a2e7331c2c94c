using System.Net;
using Azure.Identity;
using DefenderMcp.Client.Tests.Fakes;

namespace DefenderMcp.Client.Tests;

public sealed class ErrorMappingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<DefenderApiException> FailAsync(Func<HttpResponseMessage> response, Func<DefenderClient, Task> call)
    {
        using var fake = new FakeClient(FakeHandler.Sequence(response));
        return await Assert.ThrowsAsync<DefenderApiException>(() => call(fake.Client));
    }

    [Fact]
    public async Task A_400_names_the_upstream_code_but_not_its_message()
    {
        var error = await FailAsync(
            () => FakeHandler.Json(HttpStatusCode.BadRequest, "{\"error\":{\"code\":\"InvalidRequestBody\",\"message\":\"token=abc.def leaked\"}}"),
            c => c.GetMachineAsync("m1", Ct));

        Assert.Equal("invalid_input", error.CodeName);
        Assert.Equal(400, error.HttpStatus);
        Assert.Contains("(InvalidRequestBody)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("leaked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hunting_400_keeps_the_kql_problem_clipped_and_without_control_characters()
    {
        var problem = "Query could not be parsed at 'mv-expand'\u001b[31m\r\n" + new string('x', 600);
        var error = await FailAsync(
            () => FakeHandler.Json(HttpStatusCode.BadRequest, "{\"error\":{\"code\":\"BadRequest\",\"message\":" + System.Text.Json.JsonSerializer.Serialize(problem) + "}}"),
            c => c.RunHuntingQueryAsync("DeviceInfo | mv-expand x", null, Ct));

        Assert.Equal(DefenderErrorCode.InvalidInput, error.Code);
        Assert.Contains("mv-expand", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, char.IsControl);
        Assert.True(error.Message.Length < 380, error.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, DefenderErrorCode.AuthFailure)]
    [InlineData(HttpStatusCode.Forbidden, DefenderErrorCode.PermissionDenied)]
    [InlineData(HttpStatusCode.NotFound, DefenderErrorCode.NotFound)]
    [InlineData(HttpStatusCode.Conflict, DefenderErrorCode.Conflict)]
    [InlineData(HttpStatusCode.InternalServerError, DefenderErrorCode.UpstreamError)]
    [InlineData(HttpStatusCode.GatewayTimeout, DefenderErrorCode.Timeout)]
    public async Task Statuses_map_to_codes_without_the_body(HttpStatusCode status, DefenderErrorCode code)
    {
        var error = await FailAsync(() => FakeHandler.Status(status), c => c.GetIncidentAsync("7", Ct));

        Assert.Equal(code, error.Code);
        Assert.Equal((int)status, error.HttpStatus);
        Assert.DoesNotContain("secret-looking", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DisabledFeature", DefenderErrorCode.FeatureDisabled, "not enabled in this tenant")]
    [InlineData("DisallowedOperation", DefenderErrorCode.OperationDisallowed, "not a missing app role")]
    public async Task A_403_that_is_not_a_missing_role_says_so_with_the_service_reason(string upstream, DefenderErrorCode code, string says)
    {
        var error = await FailAsync(
            () => FakeHandler.Json(HttpStatusCode.Forbidden, "{\"error\":{\"code\":\"" + upstream + "\",\"message\":\"Reason\\u001b given\",\"target\":\"t\"}}"),
            c => c.SendAsync(c.RequestMachineAction("m1", MachineActionKind.Offboard, "why", null), Ct));

        Assert.Equal(code, error.Code);
        Assert.Null(error.MissingRole);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.Contains("Reason given", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Machine.Offboard", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BadRequest", "Action is already in progress")]
    [InlineData("ActiveRequestAlreadyExists", "A live response session is already running on this machine.")]
    public async Task A_400_for_an_action_already_running_is_a_conflict(string upstream, string message)
    {
        var error = await FailAsync(
            () => FakeHandler.Json(HttpStatusCode.BadRequest, "{\"error\":{\"code\":\"" + upstream + "\",\"message\":\"" + message + "\"}}"),
            c => c.SendAsync(c.RequestMachineAction("m1", MachineActionKind.Isolate, "why", "Full"), Ct));

        Assert.Equal(DefenderErrorCode.Conflict, error.Code);
        Assert.Contains("already in progress", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("machines", "Machine.Read.All")]
    [InlineData("isolate", "Machine.Isolate")]
    [InlineData("scan", "Machine.Scan")]
    [InlineData("hunting", "ThreatHunting.Read.All")]
    [InlineData("indicators", "Ti.ReadWrite.All")]
    [InlineData("rules", "CustomDetection.ReadWrite.All")]
    public async Task A_403_names_the_role_the_operation_needs(string operation, string role)
    {
        var error = await FailAsync(() => FakeHandler.Status(HttpStatusCode.Forbidden), c => operation switch
        {
            "machines" => c.ListMachinesAsync(new MachineFilter(), 5, Ct),
            "isolate" => c.SendAsync(c.RequestMachineAction("m1", MachineActionKind.Isolate, "why", "Full"), Ct),
            "scan" => c.SendAsync(c.RequestMachineAction("m1", MachineActionKind.RunAntivirusScan, "why", "Full"), Ct),
            "hunting" => c.RunHuntingQueryAsync("DeviceInfo", null, Ct),
            "indicators" => c.SendAsync(c.DeleteIndicator("12"), Ct),
            _ => c.SendAsync(c.DeleteDetectionRule("35001"), Ct),
        });

        Assert.Equal(DefenderErrorCode.PermissionDenied, error.Code);
        Assert.Equal(role, error.MissingRole);
        Assert.Contains(role, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\":")]
    [InlineData("<html>oops</html>")]
    [InlineData("[]")]
    [InlineData("{\"value\":{}}")]
    public async Task Malformed_bodies_are_upstream_errors(string body)
    {
        var list = await FailAsync(() => FakeHandler.Json(HttpStatusCode.OK, body), c => c.ListIncidentsAsync(new IncidentFilter(), 5, Ct));
        var get = await FailAsync(() => FakeHandler.Json(HttpStatusCode.OK, body), c => c.GetAlertAsync("a", Ct));

        Assert.Equal(DefenderErrorCode.UpstreamError, list.Code);
        Assert.Equal(DefenderErrorCode.UpstreamError, get.Code);
        Assert.DoesNotContain("oops", list.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entra_failure_is_auth_failure_with_the_aadsts_code_only()
    {
        var entra = new AuthenticationFailedException("ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided. Secret hint: s3cr3t-value.");
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, "{}")), authFailure: entra);

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.ListAlertsAsync(new AlertFilter(), 5, Ct));

        Assert.Equal("auth_failure", error.CodeName);
        Assert.Contains("AADSTS7000215", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Handler.Sent);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(429)]
    public async Task An_entra_outage_is_upstream_error_to_retry_not_a_credential_problem(int status)
    {
        // Azure.Identity wraps MSAL's exception, which carries Entra's HTTP status.
        var msal = new Microsoft.Identity.Client.MsalServiceException("temporarily_unavailable", "AADSTS90033: A transient error has occurred.", status, null);
        var entra = new AuthenticationFailedException("ClientSecretCredential authentication failed: service unavailable", msal);
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, "{}")), authFailure: entra);

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.ListAlertsAsync(new AlertFilter(), 5, Ct));

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.Contains($"Entra ID, which issues the access token, failed ({status})", error.Message, StringComparison.Ordinal);
        Assert.Contains("Try again", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("check the tenant id", error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Handler.Sent);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    public async Task Entra_refusing_the_credential_stays_auth_failure(int status)
    {
        var msal = new Microsoft.Identity.Client.MsalServiceException("invalid_client", "AADSTS7000215: Invalid client secret provided.", status, null);
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, "{}")), authFailure: new AuthenticationFailedException("ClientSecretCredential authentication failed", msal));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.ListAlertsAsync(new AlertFilter(), 5, Ct));

        Assert.Equal(DefenderErrorCode.AuthFailure, error.Code);
        Assert.Contains("AADSTS7000215", error.Message, StringComparison.Ordinal);
        Assert.Contains("check the tenant id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entra_endpoint_that_cannot_be_reached_is_upstream_error()
    {
        var entra = new AuthenticationFailedException("ClientSecretCredential authentication failed", new HttpRequestException("Connection refused"));
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, "{}")), authFailure: entra);

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.GetMachineAsync("m", Ct));

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.Contains("Entra ID", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unavailable_credential_is_auth_failure()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, "{}")), authFailure: new CredentialUnavailableException("no IMDS here"));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.GetMachineAsync("m", Ct));

        Assert.Equal(DefenderErrorCode.AuthFailure, error.Code);
        Assert.DoesNotContain("IMDS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Granted_roles_are_read_from_the_token()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, "{}")), tokenPayload: "{\"aud\":\"x\",\"roles\":[\"Machine.Read.All\",\"Machine.Isolate\"]}");

        var roles = await fake.Client.GetGrantedRolesAsync(DefenderApi.Mde, Ct);

        Assert.Equal(["Machine.Read.All", "Machine.Isolate"], roles);
    }

    [Theory]
    [InlineData(DefenderErrorCode.InvalidInput, "invalid_input")]
    [InlineData(DefenderErrorCode.NotFound, "not_found")]
    [InlineData(DefenderErrorCode.AuthFailure, "auth_failure")]
    [InlineData(DefenderErrorCode.PermissionDenied, "permission_denied")]
    [InlineData(DefenderErrorCode.FeatureDisabled, "feature_disabled")]
    [InlineData(DefenderErrorCode.OperationDisallowed, "operation_disallowed")]
    [InlineData(DefenderErrorCode.Conflict, "conflict")]
    [InlineData(DefenderErrorCode.RateLimited, "rate_limited")]
    [InlineData(DefenderErrorCode.UpstreamError, "upstream_error")]
    [InlineData(DefenderErrorCode.Timeout, "timeout")]
    [InlineData(DefenderErrorCode.PolicyDenied, "policy_denied")]
    [InlineData(DefenderErrorCode.ConfirmationRequired, "confirmation_required")]
    [InlineData(DefenderErrorCode.CancelledByUser, "cancelled_by_user")]
    [InlineData(DefenderErrorCode.InternalError, "internal_error")]
    public void Exceptions_carry_snake_case_code_names(DefenderErrorCode code, string name) =>
        Assert.Equal(name, new DefenderApiException(code, "m").CodeName);
}
