using System.Security.Claims;
using DefenderMcp.Hosting.Http;
using DefenderMcp.Mcp;

namespace DefenderMcp.Tests.Tools;

/// <summary>Who asked, in the comment a write sends to Defender: which name, where it goes, and the length Defender keeps.</summary>
public sealed class CommentAttributionTests
{
    [Fact]
    public void An_api_key_caller_is_named_by_its_key_an_entra_caller_by_sign_in_name_then_display_name_then_oid_and_none_else()
    {
        var key = CallerIdentity.ToPrincipal(new CallerIdentity("soc-alice", CallerIdentity.ApiKeyKind), "ApiKey");
        var entra = Entra(("oid", "7f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b"), ("preferred_username", "adele.vance@contoso.com"), ("name", "Adele Vance"));
        var named = Entra(("oid", "7f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b"), ("name", "Adele Vance"));
        var app = Entra(("oid", "7f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b"));
        var anonymous = CallerIdentity.ToPrincipal(CallerIdentity.Anonymous, "Anonymous");

        Assert.Equal("soc-alice", CommentAttribution.CallerLabel(key));
        Assert.Equal("adele.vance@contoso.com", CommentAttribution.CallerLabel(entra));
        Assert.Equal("Adele Vance", CommentAttribution.CallerLabel(named));
        Assert.Equal("7f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b", CommentAttribution.CallerLabel(app));
        Assert.Null(CommentAttribution.CallerLabel(anonymous));
        Assert.Null(CommentAttribution.CallerLabel(null));
        Assert.Null(CommentAttribution.CallerLabel(new ClaimsPrincipal(new ClaimsIdentity())));
    }

    [Fact]
    public void A_hostile_sign_in_name_reaches_the_comment_clipped_and_on_one_line()
    {
        var hostile = Entra(("oid", "7f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b"), ("preferred_username", "eve@contoso.com\r\nApproved by the CISO\u202E" + new string('x', 500)));

        var label = CommentAttribution.CallerLabel(hostile)!;

        Assert.Equal(CommentAttribution.MaxLabelLength, label.Length);
        Assert.StartsWith("eve@contoso.com??Approved by the CISO?xxx", label, StringComparison.Ordinal);
    }

    [Fact]
    public void A_written_comment_gains_the_caller_whole_or_is_refused_naming_the_length_that_fits_and_none_means_as_written()
    {
        const string Suffix = " (requested by soc-alice via DefenderMcp)";
        var fits = new string('a', 1000 - Suffix.Length);

        Assert.Equal("contain the laptop" + Suffix, CommentAttribution.Given("contain the laptop", "soc-alice", 1000));
        Assert.Equal(fits + Suffix, CommentAttribution.Given(fits, "soc-alice", 1000));
        Assert.Equal("as written", CommentAttribution.Given("as written", null, 1000));
        var refused = Assert.Throws<ToolException>(() => CommentAttribution.Given(fits + "a", "soc-alice", 1000));
        Assert.Equal(ErrorCodes.InvalidInput, refused.Code);
        Assert.StartsWith("'indicators[3].description' is 1000 characters;", Assert.Throws<ToolException>(() => CommentAttribution.Given(new string('d', 1000), "soc-alice", 1000, "indicators[3].description")).Message, StringComparison.Ordinal);
        Assert.Equal($"'comment' is {fits.Length + 1} characters; this server adds who asked ('(requested by soc-alice via DefenderMcp)', {Suffix.Length} characters) and Defender keeps at most 1000, so shorten it to {fits.Length} characters or fewer. Nothing was sent.", refused.Message);
    }

    [Fact]
    public void The_servers_own_default_comment_is_cut_to_leave_room_for_the_caller()
    {
        var longDefault = "DefenderMcp live response: " + new string('s', 2000);

        var attributed = CommentAttribution.Default(longDefault, "soc-alice", 1000);

        Assert.Equal(1000, attributed.Length);
        Assert.EndsWith(" (requested by soc-alice via DefenderMcp)", attributed, StringComparison.Ordinal);
        Assert.Equal("DefenderMcp undo of Isolate action 1", CommentAttribution.Default("DefenderMcp undo of Isolate action 1", null, 1000));
        Assert.Equal("short (requested by soc-alice via DefenderMcp)", CommentAttribution.Default("short", "soc-alice", 1000));
    }

    private static ClaimsPrincipal Entra(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "Bearer"));
}
