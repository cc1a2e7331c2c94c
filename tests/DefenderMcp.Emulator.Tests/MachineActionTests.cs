namespace DefenderMcp.Emulator.Tests;

/// <summary>Machine actions over HTTPS with the default timing (an action stays Pending for 2 s).</summary>
public sealed class MachineActionTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Mde = "https://api.securitycenter.microsoft.com/.default";

    [Fact]
    public async Task Isolate_creates_a_pending_action_refuses_a_duplicate_and_cancel_frees_the_slot()
    {
        var token = await fixture.SecretTokenAsync("fabrikam", Mde);
        var machine = (await fixture.SendAsync(HttpMethod.Get, "api/machines/fbrk-hr-lt-018.fabrikam.com", token)).Json.GetProperty("id").GetString();

        var created = await fixture.SendAsync(HttpMethod.Post, $"api/machines/{machine}/isolate", token, new { Comment = "contain", IsolationType = "Selective" });
        var duplicate = await fixture.SendAsync(HttpMethod.Post, $"api/machines/{machine}/isolate", token, new { Comment = "again", IsolationType = "Full" });
        var id = created.Json.GetProperty("id").GetString();
        var read = await fixture.SendAsync(HttpMethod.Get, $"api/machineactions/{id}", token);
        var noComment = await fixture.SendAsync(HttpMethod.Post, $"api/machineactions/{id}/cancel", token, new { });
        var cancelled = await fixture.SendAsync(HttpMethod.Post, $"api/machineactions/{id}/cancel", token, new { Comment = "mistake" });
        var cancelTwice = await fixture.SendAsync(HttpMethod.Post, $"api/machineactions/{id}/cancel", token, new { Comment = "mistake" });
        var afterCancel = await fixture.SendAsync(HttpMethod.Post, $"api/machines/{machine}/isolate", token, new { Comment = "contain for real" });
        var machineAfter = await fixture.SendAsync(HttpMethod.Get, $"api/machines/{machine}", token);

        Assert.Equal(201, created.Status);
        Assert.Equal(("Isolate", "Selective", "Pending", machine), (created.Json.GetProperty("type").GetString(), created.Json.GetProperty("scope").GetString(), created.Json.GetProperty("status").GetString(), created.Json.GetProperty("machineId").GetString()));
        Assert.Equal("contain", created.Json.GetProperty("requestorComment").GetString());
        Assert.Equal((400, "BadRequest"), (duplicate.Status, duplicate.ErrorCode));
        Assert.Equal("Action is already in progress", duplicate.Json.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(id, read.Json.GetProperty("id").GetString());
        Assert.Equal(400, noComment.Status);
        Assert.Equal("Cancelled", cancelled.Json.GetProperty("status").GetString());
        Assert.Equal(400, cancelTwice.Status);
        Assert.Equal(201, afterCancel.Status);
        // As in the API, isolation is not a machine property: the actions' history carries it.
        Assert.Equal(200, machineAfter.Status);
        Assert.False(machineAfter.Json.TryGetProperty("isolationState", out _));
    }

    [Theory]
    [InlineData("isolate", "{\"Comment\":\"x\",\"IsolationType\":\"Partial\"}", "InvalidRequestBody")]
    [InlineData("isolate", "{\"Comment\":\"x\",\"IsolationType\":7}", "InvalidRequestBody")]
    [InlineData("isolate", "{\"comment\":\"lower-case names do not bind\"}", "MissingRequiredParameter")]
    [InlineData("isolate", "[1,2]", "MissingRequiredParameter")]
    [InlineData("runAntiVirusScan", "{\"Comment\":\"x\"}", "InvalidRequestBody")]
    [InlineData("StopAndQuarantineFile", "{\"Comment\":\"x\",\"Sha1\":\"abc\"}", "InvalidHashValue")]
    [InlineData("StopAndQuarantineFile", "{\"Comment\":\"x\",\"Sha1\":{\"a\":1}}", "InvalidHashValue")]
    public async Task Bad_action_bodies_are_400_with_the_documented_code(string action, string body, string code)
    {
        var token = await fixture.SecretTokenAsync("contoso", Mde);

        var reply = await fixture.SendAsync(HttpMethod.Post, $"api/machines/ctso-eng-ws-025.contoso.com/{action}", token, rawBody: body);

        Assert.Equal((400, code), (reply.Status, reply.ErrorCode));
    }

    [Fact]
    public async Task Actions_need_their_role_and_an_existing_machine()
    {
        var limited = await fixture.SecretTokenAsync("contoso", Mde, limited: true);
        var full = await fixture.SecretTokenAsync("contoso", Mde);

        var forbidden = await fixture.SendAsync(HttpMethod.Post, "api/machines/ctso-eng-ws-025.contoso.com/isolate", limited, new { Comment = "x" });
        var missing = await fixture.SendAsync(HttpMethod.Post, "api/machines/nope.contoso.com/isolate", full, new { Comment = "x" });
        var unknownAction = await fixture.SendAsync(HttpMethod.Post, "api/machines/ctso-eng-ws-025.contoso.com/format", full, new { Comment = "x" });

        Assert.Equal((403, "Forbidden"), (forbidden.Status, forbidden.ErrorCode));
        Assert.Contains("Machine.Isolate", forbidden.Json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((404, "ResourceNotFound"), (missing.Status, missing.ErrorCode));
        Assert.Equal(404, unknownAction.Status);
    }

    [Fact]
    public async Task The_package_link_is_404_until_the_collection_succeeded()
    {
        var token = await fixture.SecretTokenAsync("contoso", Mde);
        var created = await fixture.SendAsync(HttpMethod.Post, "api/machines/ctso-exec-lt-039.contoso.com/collectInvestigationPackage", token, new { Comment = "forensics" });

        var link = await fixture.SendAsync(HttpMethod.Get, $"api/machineactions/{created.Json.GetProperty("id").GetString()}/GetPackageUri", token);

        Assert.Equal(201, created.Status);
        Assert.Equal((404, "ResourceNotFound"), (link.Status, link.ErrorCode));
    }
}

/// <summary>Machine actions that finish at once: the whole life of an action without waiting.</summary>
public sealed class InstantMachineActionTests(InstantActionsFixture fixture) : IClassFixture<InstantActionsFixture>
{
    [Fact]
    public async Task A_finished_collection_has_a_package_link_and_a_finished_action_cannot_be_cancelled()
    {
        var token = await fixture.SecretTokenAsync("fabrikam", "https://api.securitycenter.microsoft.com/.default");

        var created = await fixture.SendAsync(HttpMethod.Post, "api/machines/fbrk-dc-01.fabrikam.com/collectInvestigationPackage", token, new { Comment = "forensics" });
        var id = created.Json.GetProperty("id").GetString();
        var read = await fixture.SendAsync(HttpMethod.Get, $"api/machineactions/{id}", token);
        var link = await fixture.SendAsync(HttpMethod.Get, $"api/machineactions/{id}/GetPackageUri", token);
        var cancel = await fixture.SendAsync(HttpMethod.Post, $"api/machineactions/{id}/cancel", token, new { Comment = "late" });
        var second = await fixture.SendAsync(HttpMethod.Post, "api/machines/fbrk-dc-01.fabrikam.com/collectInvestigationPackage", token, new { Comment = "again" });
        var list = await fixture.SendAsync(HttpMethod.Get, "api/machineactions?$filter=status eq 'Succeeded' and type eq 'CollectInvestigationPackage'", token);

        Assert.Equal("Succeeded", read.Json.GetProperty("status").GetString());
        Assert.Equal(200, link.Status);
        Assert.StartsWith("https://", link.Json.GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, cancel.Status);
        Assert.Equal(201, second.Status);
        Assert.Equal(2, list.Json.GetProperty("value").GetArrayLength());
    }
}
