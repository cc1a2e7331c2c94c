using System.Net;
using DefenderMcp.Client.Tests.Fakes;

namespace DefenderMcp.Client.Tests;

public sealed class PagingAndFilterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Page(int from, int count, string? next = null) =>
        "{\"value\":[" + string.Join(',', Enumerable.Range(from, count).Select(i => $"{{\"id\":\"{i}\"}}")) + "]" + (next is null ? string.Empty : $",\"@odata.nextLink\":\"{next}\"") + "}";

    [Fact]
    public async Task Graph_lists_follow_next_links_and_stop_at_the_limit()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(
            () => FakeHandler.Json(HttpStatusCode.OK, Page(0, 4, "https://graph.microsoft.com/v1.0/security/incidents?$skiptoken=a")),
            () => FakeHandler.Json(HttpStatusCode.OK, Page(4, 4, "https://graph.microsoft.com/v1.0/security/incidents?$skiptoken=b")),
            () => FakeHandler.Json(HttpStatusCode.OK, Page(8, 4, "https://graph.microsoft.com/v1.0/security/incidents?$skiptoken=c"))),
            o => o with { PageSize = 4 });

        var incidents = await fake.Client.ListIncidentsAsync(new IncidentFilter(), 6, Ct);

        Assert.Equal(["0", "1", "2", "3", "4", "5"], incidents.Select(i => i.Id));
        Assert.Equal(["/v1.0/security/incidents?$top=4", "/v1.0/security/incidents?$skiptoken=a"], fake.Handler.Sent.Select(r => r.PathAndQuery));
    }

    [Theory]
    [InlineData("https://evil.example/v1.0/security/incidents?$skiptoken=a")]
    [InlineData("http://graph.microsoft.com/v1.0/security/incidents?$skiptoken=a")]
    [InlineData("https://graph.microsoft.com:8443/v1.0/security/incidents?$skiptoken=a")]
    [InlineData("/v1.0/security/incidents?$skiptoken=a")]
    public async Task A_next_link_to_another_origin_is_not_followed(string link)
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, Page(0, 2, link))));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.ListIncidentsAsync(new IncidentFilter(), 10, Ct));

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.Single(fake.Handler.Sent);
    }

    // An upstream page that links back to itself with nothing in it (the emulator's "loop" body) spent the tenant's
    // whole quota in one call: a link already followed ends the list.
    [Fact]
    public async Task A_link_already_followed_ends_a_list()
    {
        using var graph = new FakeClient(FakeHandler.Sequence(
            () => FakeHandler.Json(HttpStatusCode.OK, Page(0, 2, "https://graph.microsoft.com/v1.0/security/incidents?$skiptoken=a")),
            () => FakeHandler.Json(HttpStatusCode.OK, Page(2, 1, "https://graph.microsoft.com/v1.0/security/incidents?$skiptoken=a")),
            () => FakeHandler.Json(HttpStatusCode.OK, Page(3, 2))));
        using var mde = new FakeClient(new FakeHandler((r, n, _) => Task.FromResult(FakeHandler.Json(HttpStatusCode.OK, Page(0, 0, "https://api.security.microsoft.com/api/machines?$top=5")))));

        var incidents = await graph.Client.ListIncidentsAsync(new IncidentFilter(), 10, Ct);
        var machines = await mde.Client.ListMachinesAsync(new MachineFilter(), 5, Ct);

        Assert.Equal(["0", "1", "2"], incidents.Select(i => i.Id));
        Assert.Equal(2, graph.Handler.Sent.Count);
        Assert.Empty(machines);
        Assert.Single(mde.Handler.Sent);
    }

    // The docs say to follow the link until it is absent, and the service may send an empty page with one: a short run
    // of empty pages is followed, a long one (a ring of fresh links with nothing in them) ends the list.
    [Fact]
    public async Task Empty_pages_are_followed_but_not_a_long_run_of_them()
    {
        static string Link(int n) => $"https://graph.microsoft.com/v1.0/security/incidents?$skiptoken={n}";
        using var gap = new FakeClient(FakeHandler.Sequence(
            () => FakeHandler.Json(HttpStatusCode.OK, Page(0, 2, Link(1))),
            () => FakeHandler.Json(HttpStatusCode.OK, Page(0, 0, Link(2))),
            () => FakeHandler.Json(HttpStatusCode.OK, Page(0, 0, Link(3))),
            () => FakeHandler.Json(HttpStatusCode.OK, Page(2, 2))));
        using var ring = new FakeClient(new FakeHandler((r, n, _) => Task.FromResult(FakeHandler.Json(HttpStatusCode.OK, Page(0, 0, Link(n + 1))))));

        var afterGap = await gap.Client.ListIncidentsAsync(new IncidentFilter(), 10, Ct);
        var fromRing = await ring.Client.ListIncidentsAsync(new IncidentFilter(), 10, Ct);

        Assert.Equal(["0", "1", "2", "3"], afterGap.Select(i => i.Id));
        Assert.Equal(4, gap.Handler.Sent.Count);
        Assert.Empty(fromRing);
        Assert.Equal(Parsing.PageLinks.MaxEmptyPagesInARow, ring.Handler.Sent.Count);
    }

    [Fact]
    public async Task Mde_lists_page_with_skip_until_a_short_page()
    {
        using var fake = new FakeClient(
            new FakeHandler((r, n, _) => Task.FromResult(FakeHandler.Json(HttpStatusCode.OK, Page(n * 3, n < 2 ? 3 : 1)))),
            o => o with { MdePageSize = 3 });

        var machines = await fake.Client.ListMachinesAsync(new MachineFilter(), 100, Ct);

        Assert.Equal(7, machines.Count);
        Assert.Equal(
            ["/api/machines?$top=3", "/api/machines?$top=3&$skip=3", "/api/machines?$top=3&$skip=6"],
            fake.Handler.Sent.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Mde_lists_ask_only_for_what_is_left()
    {
        using var fake = new FakeClient(
            new FakeHandler((r, n, _) => Task.FromResult(FakeHandler.Json(HttpStatusCode.OK, Page(n * 3, 3)))),
            o => o with { MdePageSize = 3 });

        var machines = await fake.Client.ListMachinesAsync(new MachineFilter(), 5, Ct);

        Assert.Equal(5, machines.Count);
        Assert.Equal(["/api/machines?$top=3", "/api/machines?$top=2&$skip=3"], fake.Handler.Sent.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Filter_literals_are_quoted_with_doubled_quotes()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, Page(0, 0))));

        await fake.Client.ListMachinesAsync(new MachineFilter { NamePrefix = "o'brien", Tag = "a' or 1 eq 1 or 'b", RiskScore = "High", LastSeenAfter = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)) }, 5, Ct);
        await fake.Client.ListIncidentsAsync(new IncidentFilter("active", "high", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)), 5, Ct);

        Assert.Equal(
            "/api/machines?$top=5&$filter=startswith(computerDnsName,'o''brien') and riskScore eq 'High' and machineTags/any(tag: tag eq 'a'' or 1 eq 1 or ''b') and lastSeen gt 2026-01-02T01:04:05Z",
            fake.Handler.Sent[0].PathAndQuery);
        Assert.Equal(
            "/v1.0/security/incidents?$top=5&$filter=status eq 'active' and severity eq 'high' and createdDateTime gt 2026-11-01T00:00:00Z",
            fake.Handler.Sent[1].PathAndQuery);
    }

    [Theory]
    [InlineData("active' or 1 eq 1 or status eq 'x")]
    [InlineData("")]
    [InlineData("a b")]
    public async Task Enum_filter_values_outside_the_token_shape_are_refused_before_sending(string status)
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, Page(0, 0))));

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => fake.Client.ListIncidentsAsync(new IncidentFilter(Status: status), 5, Ct));

        Assert.Equal(DefenderErrorCode.InvalidInput, error.Code);
        Assert.Empty(fake.Handler.Sent);
    }

    [Fact]
    public async Task Ids_are_escaped_in_paths_and_incidents_expand_alerts()
    {
        using var fake = new FakeClient(FakeHandler.Sequence(() => FakeHandler.Json(HttpStatusCode.OK, "{\"id\":\"x\"}")));

        await fake.Client.GetMachineAsync("desk top.contoso.com", Ct);
        await fake.Client.GetIncidentAsync("42", Ct);

        Assert.Equal("/api/machines/desk%20top.contoso.com", fake.Handler.Sent[0].Uri.AbsolutePath);
        Assert.Equal("/v1.0/security/incidents/42?$expand=alerts", fake.Handler.Sent[1].PathAndQuery);
    }
}
